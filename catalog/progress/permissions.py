"""Who may see and keep the pilot's progress (the dashboard, target tables, evaluations and
lists of a city): the bureau, for its regions."""

from __future__ import annotations

from catalog.access import active, bureau_regions, in_regions
from catalog.errors import Forbidden
from catalog.users.models import User


def can_view_progress(user: User | None, region: str) -> bool:
    """The dashboard, target table, evaluations and lists of a city: its bureau."""
    return in_regions(user, region) and active(user)


def require_progress(user: User | None, region: str) -> None:
    """Raise Forbidden unless `user` is a bureau of `region`."""
    if not can_view_progress(user, region):
        raise Forbidden(message="只有所在地区的主管部门可以查看和维护试点进展")


def progress_city(user: User, region: str | None) -> str:
    """The city whose progress `user` asks for (default: the bureau's first region), once it may
    see it: the one reading of the API's and the pages' `region`."""
    chosen = (region or "").strip() or next(iter(bureau_regions(user)), "")
    require_progress(user, chosen)
    return chosen
