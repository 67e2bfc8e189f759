"""Load the demo data set into a database: records, statuses, 优秀 flags, privacy opt-ins, users.

Loading is idempotent: a second load finds every record unchanged and every user present.
The loader flushes; the caller commits once.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from catalog.chains.models import ChainLink
from catalog.enterprises import service as enterprise_service
from catalog.enterprises.models import Enterprise, Need
from catalog.enterprises.schemas import EnterpriseUpdate
from catalog.exchange.imports import ImportReport, import_paths
from catalog.providers import service as provider_service
from catalog.providers.models import LISTING_TRANSITIONS, ListingStatus, Provider
from catalog.solutions import service as solution_service
from catalog.solutions.models import Solution
from catalog.users import service as catalog_users
from catalog.users.models import User
from seed.targets import load_targets
from seed.users import DEMO_USERS, DemoUser

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_FILES = ("catalog.json", "enterprises.json", "chains.json")
STATUS_FILE = "statuses.json"


@dataclass
class SeedReport:
    """What a demo load did, and how many records the database now holds."""

    imported: ImportReport
    status_changes: int = 0
    excellent_marked: int = 0
    privacy_changes: int = 0
    users_created: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    def summary_zh(self) -> str:
        """Chinese lines for the CLI."""
        labels = {"providers": "服务商", "solutions": "产品和解决方案", "enterprises": "试点企业",
                  "needs": "需求", "links": "产业链关系", "users": "用户"}
        totals = "，".join(f"{labels[k]} {v}" for k, v in self.totals.items())
        return "\n".join([
            self.imported.summary_zh(),
            f"状态调整 {self.status_changes} 项，优秀标记 {self.excellent_marked} 项，"
            f"隐私授权 {self.privacy_changes} 项，新建用户 {len(self.users_created)} 个",
            f"数据库现有：{totals}",
        ])


def data_paths(data_dir: Path = DATA_DIR) -> list[Path]:
    """The exchange-format files of the demo data set."""
    return [data_dir / name for name in DATA_FILES]


def read_statuses(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """The statuses, 优秀 flags and privacy opt-ins applied after the import."""
    return dict(json.loads((data_dir / STATUS_FILE).read_text("utf-8")))


def is_empty(*, session: Session) -> bool:
    """True when the database holds no providers yet (the demo data has not been loaded)."""
    return session.exec(select(Provider.id).limit(1)).first() is None


def status_path(current: ListingStatus, target: ListingStatus) -> list[ListingStatus]:
    """The shortest list of allowed transitions from `current` to `target` (empty if equal)."""
    paths: deque[list[ListingStatus]] = deque([[current]])
    seen = {current}
    while paths:
        path = paths.popleft()
        if path[-1] == target:
            return path[1:]
        for nxt in sorted(LISTING_TRANSITIONS[path[-1]] - seen):
            seen.add(nxt)
            paths.append([*path, nxt])
    raise ValueError(f"状态无法从“{current.value}”变更为“{target.value}”")


def _move(session: Session, record: Provider | Solution, target: ListingStatus, actor: str,
          remark: str | None) -> int:
    steps = status_path(ListingStatus(record.status), target)
    for step in steps:
        note = remark if step == target else None
        if isinstance(record, Provider):
            provider_service.change_provider_status(session=session, provider=record, status=step,
                                                   actor=actor, remark=note)
        else:
            solution_service.change_solution_status(session=session, solution=record, status=step,
                                                   actor=actor, remark=note)
    return len(steps)


def _usccs_and_codes(data_dir: Path) -> tuple[list[str], list[str], list[str]]:
    catalog = json.loads((data_dir / "catalog.json").read_text("utf-8"))
    enterprises = json.loads((data_dir / "enterprises.json").read_text("utf-8"))
    return ([p["uscc"] for p in catalog["providers"]], [s["code"] for s in catalog["solutions"]],
            [e["uscc"] for e in enterprises["enterprises"]])


def apply_statuses(*, session: Session, statuses: dict[str, Any], data_dir: Path, actor: str) -> int:
    """Bring every demo provider and solution to its listed status (default 已入库)."""
    provider_usccs, codes, _ = _usccs_and_codes(data_dir)
    remarks: dict[str, str] = statuses.get("remarks", {})
    changes = 0
    for provider in session.exec(select(Provider).where(col(Provider.uscc).in_(provider_usccs))).all():
        target = ListingStatus(statuses["providers"].get(provider.uscc, ListingStatus.PUBLISHED))
        changes += _move(session, provider, target, actor, remarks.get(provider.uscc))
    for solution in session.exec(select(Solution).where(col(Solution.code).in_(codes))).all():
        target = ListingStatus(statuses["solutions"].get(solution.code, ListingStatus.PUBLISHED))
        changes += _move(session, solution, target, actor, remarks.get(solution.code))
    return changes


def apply_excellent(*, session: Session, codes: list[str], actor: str) -> int:
    """Mark the listed solutions 优秀; returns how many changed."""
    changed = 0
    for solution in session.exec(select(Solution).where(col(Solution.code).in_(codes))).all():
        if not solution.excellent:
            solution_service.set_solution_excellent(session=session, solution=solution, excellent=True, actor=actor)
            changed += 1
    return changed


def apply_privacy(*, session: Session, statuses: dict[str, Any], data_dir: Path, actor: str) -> int:
    """Set each demo enterprise's opt-ins: findable by providers, needs shared with its chain."""
    _, _, usccs = _usccs_and_codes(data_dir)
    findable = set(statuses.get("findable_by_providers", []))
    sharing = set(statuses.get("share_needs_with_chain", []))
    changed = 0
    for enterprise in session.exec(select(Enterprise).where(col(Enterprise.uscc).in_(usccs))).all():
        wanted = {"findable_by_providers": enterprise.uscc in findable,
                  "share_budget": enterprise.uscc in findable,
                  "share_needs_with_chain": enterprise.uscc in sharing}
        diff = {k: v for k, v in wanted.items() if getattr(enterprise, k) != v}
        if diff:
            enterprise_service.update_enterprise(session=session, enterprise=enterprise,
                                              data=EnterpriseUpdate.model_validate(diff), actor=actor)
            changed += 1
    return changed


def _uscc_by_name(data_dir: Path) -> dict[str, str]:
    catalog = json.loads((data_dir / "catalog.json").read_text("utf-8"))
    enterprises = json.loads((data_dir / "enterprises.json").read_text("utf-8"))
    return {r["name"]: r["uscc"] for r in [*catalog["providers"], *enterprises["enterprises"]]}


def _binding(session: Session, demo: DemoUser, usccs: dict[str, str]) -> dict[str, int | None]:
    provider_id = enterprise_id = None
    if demo.provider:
        provider = session.exec(select(Provider).where(Provider.uscc == usccs[demo.provider])).one()
        provider_id = provider.id
    if demo.enterprise:
        enterprise = session.exec(select(Enterprise).where(Enterprise.uscc == usccs[demo.enterprise])).one()
        enterprise_id = enterprise.id
    return {"provider_id": provider_id, "enterprise_id": enterprise_id}


def create_demo_users(*, session: Session, data_dir: Path = DATA_DIR,
                      users: list[DemoUser] | None = None, actor: str = "seed") -> list[str]:
    """Create the demo users that do not exist yet (audited as `actor`'s); returns the usernames created."""
    usccs = _uscc_by_name(data_dir)
    created = []
    for demo in DEMO_USERS if users is None else users:
        if catalog_users.get_user_by_username(session=session, username=demo.username) is not None:
            continue
        catalog_users.create_user(
            session=session, username=demo.username, password=demo.password, role=demo.role, actor=actor,
            display_name=demo.display_name, regions=list(demo.regions) or None,
            **_binding(session, demo, usccs))
        created.append(demo.username)
    return created


def count_records(*, session: Session) -> dict[str, int]:
    """How many rows each demo-relevant table holds."""
    models: dict[str, Any] = {"providers": Provider, "solutions": Solution, "enterprises": Enterprise,
                              "needs": Need, "links": ChainLink, "users": User}
    return {key: int(session.exec(select(func.count()).select_from(model)).one()) for key, model in models.items()}


def load_demo(*, session: Session, actor: str = "seed", data_dir: Path = DATA_DIR) -> SeedReport:
    """Import the demo data set and apply statuses, flags, opt-ins and users (flushes only).

    Raises ImportRejected if the data files are invalid (nothing is then stored).
    """
    imported = import_paths(session=session, paths=data_paths(data_dir), actor=actor)
    statuses = read_statuses(data_dir)
    report = SeedReport(imported=imported)
    report.status_changes = apply_statuses(session=session, statuses=statuses, data_dir=data_dir, actor=actor)
    report.excellent_marked = apply_excellent(session=session, codes=statuses.get("excellent", []), actor=actor)
    report.privacy_changes = apply_privacy(session=session, statuses=statuses, data_dir=data_dir, actor=actor)
    report.users_created = create_demo_users(session=session, data_dir=data_dir, actor=actor)
    load_targets(session=session)
    session.flush()
    report.totals = count_records(session=session)
    return report

