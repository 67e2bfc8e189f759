"""Chinese as users type it: 繁體, full-width, parts of compounds, synonyms, pain points,
and only 已入库 listings for the public."""

from __future__ import annotations

from dataclasses import dataclass

import meilisearch
import pytest
from search_builders import add_provider, add_solution, sync
from sqlmodel import Session

from catalog.db import get_engine
from catalog.providers.models import ListingStatus
from search_index.query import SearchRequest, search_solutions

pytestmark = pytest.mark.meili


def _codes(client: meilisearch.Client, prefix: str, q: str, **kw: object) -> list[str]:
    request = SearchRequest(q=q, per_page=10, **kw)  # type: ignore[arg-type]
    return [h["code"] for h in search_solutions(client=client, prefix=prefix, request=request).hits]


@dataclass
class Catalogue:
    """A small catalogue across scenarios, indexed under `prefix`; `codes` maps a key to a code."""

    codes: dict[str, str]
    meili: meilisearch.Client
    prefix: str


@pytest.fixture(scope="module")
def catalogue(module_database_url: str, module_meili: meilisearch.Client, module_prefix: str) -> Catalogue:
    """Built and indexed once per module and backend: the tests that take it only search it
    (they write neither to its database nor to its indexes)."""
    database_url, meili, prefix = module_database_url, module_meili, module_prefix
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        provider = add_provider(session)
        items = {
            "印染": {"name": "印染车间管理系统", "description": "面向棉纺织印染企业的染缸排产与缸号追溯",
                       "scenarios": ["生产计划排程"], "keywords": ["染缸排产"]},
            "仓储": {"name": "云仓储管理系统", "description": "库位管理、扫码出入库、库存盘点，适合小微工厂",
                       "scenarios": ["仓储物流"], "keywords": ["库位", "盘点"]},
            "设备": {"name": "设备点检保养系统", "description": "点检计划、保养提醒与维修工单，手机扫码执行",
                       "scenarios": ["设备管理运维"], "keywords": ["点检", "保养"]},
            "工单": {"name": "不良品闭环系统", "description": "记录待处理的不良品，评审后跟踪整改",
                       "scenarios": ["质量管控"], "keywords": ["评审"]},
            "财务": {"name": "小微企业记账软件", "description": "凭证、报表、发票一体的在线记账",
                       "scenarios": ["财务管理"], "keywords": ["记账"]},
            "执行": {"name": "离散制造执行系统", "description": "工单下达、报工和在制品跟踪", "scenarios": ["生产过程管控"],
                       "keywords": ["报工"]},
        }
        codes = {key: add_solution(session, provider, **fields).code for key, fields in items.items()}  # type: ignore[arg-type]
        session.commit()
    sync(database_url, meili, prefix)
    return Catalogue(codes, meili, prefix)


def test_traditional_and_full_width_queries_fold(catalogue: Catalogue) -> None:
    assert _codes(catalogue.meili, catalogue.prefix, "倉儲管理 庫存盤點")[0] == catalogue.codes["仓储"]
    assert _codes(catalogue.meili, catalogue.prefix, "ＭＥＳ　報工")[0] == catalogue.codes["执行"]


def test_part_of_a_compound_finds_it(catalogue: Catalogue) -> None:
    assert catalogue.codes["印染"] in _codes(catalogue.meili, catalogue.prefix, "纺织")[:2]
    assert catalogue.codes["工单"] in _codes(catalogue.meili, catalogue.prefix, "处理")[:2]


def test_synonyms_reach_other_spellings(catalogue: Catalogue) -> None:
    assert _codes(catalogue.meili, catalogue.prefix, "WMS")[0] == catalogue.codes["仓储"]
    assert _codes(catalogue.meili, catalogue.prefix, "MES")[0] == catalogue.codes["执行"]
    assert _codes(catalogue.meili, catalogue.prefix, "EAM 设备台账")[0] == catalogue.codes["设备"]


def test_pain_point_reaches_its_scenario(catalogue: Catalogue) -> None:
    assert _codes(catalogue.meili, catalogue.prefix, "車間設備老是突然停機，不知道哪台要保養")[0] == catalogue.codes["设备"]
    assert _codes(catalogue.meili, catalogue.prefix, "仓库找料要半天，账上有货实际没有")[0] == catalogue.codes["仓储"]


def test_typo_is_corrected(catalogue: Catalogue) -> None:
    assert _codes(catalogue.meili, catalogue.prefix, "仓储管里 盘点")[0] == catalogue.codes["仓储"]


def test_public_sees_only_published(
    session: Session, database_url: str, meili: meilisearch.Client, prefix: str
) -> None:
    provider = add_provider(session)
    shown = add_solution(session, provider, name="能耗在线监测平台", scenarios=["能源能耗管理"])
    hidden = add_solution(session, provider, name="能耗分析看板", scenarios=["能源能耗管理"],
                          status=ListingStatus.PENDING)
    suspended_provider = add_provider(session, status=ListingStatus.SUSPENDED)
    orphan = add_solution(session, suspended_provider, name="能耗计量系统", scenarios=["能源能耗管理"])
    session.commit()
    sync(database_url, meili, prefix)
    public = _codes(meili, prefix, "能耗")
    assert shown.code in public
    assert hidden.code not in public and orphan.code not in public
    everything = _codes(meili, prefix, "能耗", public_only=False)
    assert {shown.code, hidden.code, orphan.code} <= set(everything)
    browse = _codes(meili, prefix, "")
    assert hidden.code not in browse and shown.code in browse


def test_every_page_of_a_long_result_list_has_its_hits_once(
        session: Session, database_url: str, meili: meilisearch.Client, prefix: str) -> None:
    """Past the re-ranked candidates, the pages continue in the engine's order: no page is
    empty while the total promises more, and no listing shows twice."""
    provider = add_provider(session)
    scenarios = ["仓储物流", "质量管控", "设备管理运维"]
    made = {add_solution(session, provider, name=f"扫码工具{i:02d}号", description=f"第{i}款扫码小程序，手机即用",
                         scenarios=[scenarios[i % 3]]).code for i in range(75)}
    session.commit()
    sync(database_url, meili, prefix)
    pages, total = [], 0
    for page in range(1, 9):
        result = search_solutions(client=meili, prefix=prefix, request=SearchRequest(q="扫码", page=page, per_page=10))
        pages.append([h["code"] for h in result.hits])
        total = result.total
    shown = [code for page in pages for code in page]
    assert total == 75 and [len(p) for p in pages] == [10] * 7 + [5]
    assert len(shown) == len(set(shown)) and set(shown) == made
