"""Keep a bureau's imports and exports inside its regions (User.regions, prefix match).

The filtering itself is catalog's (export_bytes(regions=…), import_as);
this module only ties it to the signed-in bureau.
"""

from __future__ import annotations

from sqlmodel import Session

from catalog.exchange import exports as catalog_exports
from catalog.exchange import imports as catalog_imports
from catalog.exchange.writer import ImportReport
from catalog.users.models import User
from market.exchange.import_gate import import_slot


def export_for(*, session: Session, user: User, fmt: str) -> bytes:
    """The catalogue in the exchange format, limited to the bureau's regions."""
    return catalog_exports.export_bytes(session=session, fmt=fmt, regions=list(user.regions or []))


def import_for(*, session: Session, user: User, filename: str, content: bytes, actor: str) -> ImportReport:
    """Import an upload (`catalog.exchange.imports.import_as`): any row reaching outside the
    bureau's regions rejects the whole file."""
    with import_slot():
        return catalog_imports.import_as(session=session, user=user, filename=filename, content=content, actor=actor)
