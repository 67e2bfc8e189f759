"""Catalogue imports as background jobs (market.jobs): the upload is kept under var/imports,
a worker reads, validates and stores it — one import at a time per worker (market.exchange.import_gate) —
and the job's result says what was stored, or every row error with nothing stored.

The job acts for the bureau that uploaded the file, checked when the job runs
(`catalog.exchange.imports.import_as`): an account deactivated or no longer allowed to import
fails the job with nothing stored, and rows reaching outside that user's regions (as they are
then) reject the file, as the immediate import does.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlmodel import Session

from catalog import access
from catalog.db import session_scope
from catalog.errors import ImportRejected
from catalog.exchange import imports as catalog_imports
from catalog.users.models import User
from catalog.users.service import actor_of
from market import jobs
from market.exchange.import_gate import import_slot
from market.models import Job

KIND = "catalog_import"
MAX_ERRORS_KEPT = 500  # row errors kept in the job's result (the count says how many there were)


def start_import_job(*, session: Session, user: User, filename: str, content: bytes, var_dir: Path) -> Job:
    """Keep the upload and enqueue its import (flushed, not committed: kick a worker after the commit)."""
    folder = var_dir / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{Path(filename).suffix.lower()}"
    path.write_bytes(content)
    params = {"file": str(path), "filename": filename, "user_id": user.id, "actor": actor_of(user),
              "regions": access.bureau_regions(user)}
    return jobs.enqueue(session=session, kind=KIND, params=params, created_by=actor_of(user))


def _progress_for(database_url: str, progress: jobs.Progress) -> jobs.Progress | None:
    """Progress is written to the job's row from another connection while the import holds its
    write transaction: PostgreSQL takes both, SQLite (one writer at a time) would wait on itself."""
    return None if database_url.startswith("sqlite") else progress


def run_import_job(*, database_url: str, params: dict[str, Any], progress: jobs.Progress) -> dict[str, Any]:
    """The job's handler: import the kept file for its user; the file is removed afterwards."""
    path = Path(params["file"])
    try:
        content = path.read_bytes()
        with import_slot(wait=True), session_scope(database_url) as session:
            user = session.get(User, int(params["user_id"]))
            report = catalog_imports.import_as(
                session=session, user=user, filename=str(params["filename"]), content=content,
                actor=str(params["actor"]), progress=_progress_for(database_url, progress))
    except ImportRejected as rejected:
        return {"accepted": False, "message": rejected.message, "error_count": len(rejected.errors),
                "errors": [e.as_dict() for e in rejected.errors[:MAX_ERRORS_KEPT]]}
    finally:
        path.unlink(missing_ok=True)
    return {"accepted": True, "rows": report.rows, "counts": report.counts, "warnings": report.warnings,
            "duplicates": report.duplicates, "summary": report.summary_zh()}
