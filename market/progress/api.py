"""JSON and file API of the pilot's progress: the dashboard, drill-downs, the target table
(import and export), provider and solution evaluations, the working lists, finance products."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, UploadFile
from sqlmodel import Session

from catalog.errors import NotFound
from catalog.progress import evaluations, policy, workbooks
from catalog.progress import queries as progress_queries
from catalog.progress import service as progress_service
from catalog.progress.measures import Item, compute, describe
from catalog.progress.models import TargetRow
from catalog.progress.permissions import progress_city
from catalog.progress.schemas import FinanceProductIn
from catalog.users.models import User
from market.deps import CurrentUser, SessionDep
from market.exchange.import_gate import import_slot
from market.permissions.declared import BUREAU, requires
from market.progress import lists
from market.web.api_common import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, RecordId
from matching.evaluation import ranked

router = APIRouter(prefix="/api/progress", tags=["试点进展"])
Region = Annotated[str | None, Query(max_length=60, description="城市（默认为本账号管辖的第一个地区）")]


def item_json(item: Item) -> dict[str, Any]:
    return {"record_type": item.record_type, "record_id": item.record_id, "name": item.name,
            "date": item.when.isoformat() if item.when else None, "detail": item.detail, "url": item.url}


def row_json(item: progress_queries.RowProgress) -> dict[str, Any]:
    r = item.row
    return {"id": r.id, "segment": r.segment, "year": r.year, "position": r.position, "indicator": r.indicator,
            "unit": r.unit, "target": r.target, "measure": describe(r.measure), "actual": item.actual,
            "percent": item.percent, "count": None if item.result is None else len(item.result.items)}


@router.get("/dashboard", responses=LIST_ERRORS, summary="目标总表完成情况", openapi_extra=requires(BUREAU))
def read_dashboard(session: SessionDep, user: CurrentUser, region: Region = None) -> dict[str, Any]:
    city = progress_city(user, region)
    rows = progress_queries.progress(session=session, region=city)
    share = progress_queries.level_two_share(session=session, region=city)
    return {"region": city, "rows": [row_json(r) for r in rows],
            "level_two_share": {"value": share.value, "reached": len(share.items), "total": share.denominator,
                                "bar": policy.LEVEL_TWO_SHARE_PCT,
                                "bar_reached": policy.level_two_share_reached(share.value)}}


def _row(session: Session, user: User, row_id: int) -> TargetRow:
    return progress_queries.visible_row(session=session, user=user, row_id=row_id)


@router.get("/targets/{row_id}/records", responses=READ_ERRORS, summary="目标行背后的记录（下钻）",
            openapi_extra=requires(BUREAU))
def drill_down(session: SessionDep, user: CurrentUser, row_id: RecordId) -> dict[str, Any]:
    row = _row(session, user, row_id)
    item = progress_queries.RowProgress(row, compute(session, row.measure, progress_queries.scope_of(row)))
    records = [] if item.result is None else item.result.items
    trend = [] if item.result is None else progress_queries.monthly(item.result)
    return {**row_json(item), "records": [item_json(i) for i in records],
            "monthly": [{"month": m, "count": c, "cumulative": t} for m, c, t in trend]}


@router.get("/targets.xlsx", response_class=Response, summary="导出目标总表（含完成值）",
            responses={200: {"content": {workbooks.XLSX: {}}, "description": "工作簿"}, **LIST_ERRORS},
                openapi_extra=requires(BUREAU))
def export_targets(session: SessionDep, user: CurrentUser, region: Region = None) -> Response:
    city = progress_city(user, region)
    rows = progress_queries.progress(session=session, region=city)
    title = rows[0].row.table_name if rows and rows[0].row.table_name else f"{city}目标总表"
    content = workbooks.export_targets(rows, title=title)
    return Response(content, media_type=workbooks.XLSX,
                    headers={"Content-Disposition": 'attachment; filename="targets.xlsx"'})


@router.post("/targets/import", responses=WRITE_ERRORS, summary="导入目标总表（xlsx，明细格式）",
             openapi_extra=requires(BUREAU))
async def import_targets(session: SessionDep, user: CurrentUser, file: UploadFile,
                         region: Region = None) -> dict[str, Any]:
    content = await file.read()
    with import_slot():
        done = progress_service.import_targets(session=session, user=user, content=content, region=region)
    return {"region": done.region, "rows": done.rows, "created": done.created}


@router.get("/evaluations", responses=LIST_ERRORS, summary="服务商 / 产品考核评价排名", openapi_extra=requires(BUREAU))
def read_evaluations(session: SessionDep, user: CurrentUser, region: Region = None,
                     kind: Annotated[str, Query(pattern="^(provider|solution)$", description="provider 或 solution")]
                     = "provider") -> dict[str, Any]:
    city = progress_city(user, region)
    pairs: list[Any] = (evaluations.provider_evaluations(session=session, region=city, evaluate=ranked)
                        if kind == "provider"
                        else evaluations.solution_evaluations(session=session, region=city, evaluate=ranked))
    return {"region": city, "kind": kind, "data": [
        {"id": subject.id, "name": subject.name, "score": e.score, "proposal": e.proposal,
         "reasons": list(e.reasons_zh), "enterprises_served": e.enterprises_served, "acceptances": e.acceptances,
         "terminations": e.terminations, "complaints": e.complaints,
         "components": [{"key": c.key, "label": c.label_zh, "value": round(c.value, 3),
                         "points": round(c.points, 1), "max": c.max_points} for c in e.components]}
        for subject, e in pairs]}


def _work_list(session: Session, user: User, name: str, region: str | None) -> tuple[str, lists.WorkList]:
    if name not in lists.LISTS:
        raise NotFound(message=f"没有名为“{name}”的清单")
    city = progress_city(user, region)
    return city, lists.LISTS[name](session, city)


@router.get("/lists/{name}", responses=READ_ERRORS, summary="工作清单（任务、企业、服务商、优秀产品、政策、金融）",
            openapi_extra=requires(BUREAU))
def read_list(session: SessionDep, user: CurrentUser, name: str, region: Region = None) -> dict[str, Any]:
    city, work = _work_list(session, user, name, region)
    return {"region": city, "key": work.key, "title": work.title, "headers": work.headers, "rows": work.rows}


@router.get("/lists/{name}/xlsx", response_class=Response, summary="导出工作清单（xlsx）",
            responses={200: {"content": {workbooks.XLSX: {}}, "description": "工作簿"}, **READ_ERRORS},
                openapi_extra=requires(BUREAU))
def export_list(session: SessionDep, user: CurrentUser, name: str, region: Region = None) -> Response:
    city, work = _work_list(session, user, name, region)
    return Response(lists.to_xlsx(work, city), media_type=workbooks.XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{work.key}.xlsx"'})


@router.post("/finance", status_code=201, responses=WRITE_ERRORS, summary="新增金融产品（数转贷等）",
             openapi_extra=requires(BUREAU))
def add_finance(session: SessionDep, user: CurrentUser, data: FinanceProductIn,
                region: Region = None) -> dict[str, Any]:
    product = progress_service.add_finance_product_as(session=session, user=user, region=region, data=data)
    return product.model_dump(mode="json")
