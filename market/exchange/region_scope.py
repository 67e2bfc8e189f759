"""Keep a bureau's imports inside its regions (User.regions, prefix match), one at a time.

The filtering itself is catalog's (`import_as`, and `exports.export_as` for exports, which the
export API and page call directly); this module only ties an import to the signed-in bureau
and to the import gate.
"""

from __future__ import annotations

from sqlmodel import Session

from catalog.exchange import imports as catalog_imports
from catalog.exchange.writer import ImportReport
from catalog.users.models import User
from market.exchange.import_gate import import_slot


def import_for(*, session: Session, user: User, filename: str, content: bytes, actor: str) -> ImportReport:
    """Import an upload (`catalog.exchange.imports.import_as`): any row reaching outside the
    bureau's regions rejects the whole file."""
    with import_slot():
        return catalog_imports.import_as(session=session, user=user, filename=filename, content=content, actor=actor)
