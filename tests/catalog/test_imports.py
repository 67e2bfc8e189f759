import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from catalog_builders import DEV_DATA, make_provider, write_workbook
from sqlmodel import Session, func, select

from catalog.audit import service as audit
from catalog.audit.models import AuditEntry
from catalog.chains.models import ChainLink
from catalog.enterprises.models import Enterprise, Need
from catalog.errors import ImportRejected
from catalog.exchange import imports
from catalog.outbox import OutboxEntry
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from catalog.validation import make_uscc

P_COLS = ["服务商名称", "统一社会信用代码", "服务商类型", "所在地区", "服务区域", "服务行业", "能力场景", "简介",
          "资质", "服务容量（家/批）", "联系人", "联系电话"]
S_COLS = ["产品编号", "产品名称", "服务商统一社会信用代码", "适用行业", "应用场景", "功能描述", "部署方式",
          "价格（万元）", "计费方式", "实施周期（天）", "适用规模", "目标数字化水平", "关键词"]
E_COLS = ["企业名称", "统一社会信用代码", "所在地区", "细分行业", "企业规模", "专精特新", "当前数字化水平",
          "改造预算（万元）", "试点批次"]
GOOD_P = make_uscc("good-provider")


def _provider(uscc: str = GOOD_P, **changes: Any) -> list[Any]:
    row = {"服务商名称": "九江浔联数智科技有限公司", "统一社会信用代码": uscc, "服务商类型": "综合服务商",
           "所在地区": "江西省九江市濂溪区", "服务区域": "江西省", "服务行业": "C26；通用", "能力场景": "质量管控、仓储物流",
           "简介": "本地综合服务商", "资质": "CMMI3", "服务容量（家/批）": 20, "联系人": "周文斌", "联系电话": "18754255503"}
    return list((row | changes).values())


def _solution(code: str, **changes: Any) -> list[Any]:
    row = {"产品编号": code, "产品名称": "化工MES", "服务商统一社会信用代码": GOOD_P, "适用行业": "C26",
           "应用场景": "生产过程管控", "功能描述": "配方下发、批次追溯", "部署方式": "私有化", "价格（万元）": 38,
           "计费方式": "一次性", "实施周期（天）": 90, "适用规模": "规上", "目标数字化水平": "三级", "关键词": "MES;追溯"}
    return list((row | changes).values())


def _enterprise(**changes: Any) -> list[Any]:
    row = {"企业名称": "九江鄱湾化学有限公司", "统一社会信用代码": make_uscc("ent"), "所在地区": "江西省九江市湖口县",
           "细分行业": "C261", "企业规模": "规上", "专精特新": "无", "当前数字化水平": "二级", "改造预算（万元）": 50,
           "试点批次": 1}
    return list((row | changes).values())


def _counts(session: Session) -> dict[str, int]:
    models = {"p": Provider, "s": Solution, "e": Enterprise, "n": Need, "l": ChainLink, "a": AuditEntry, "o": OutboxEntry}
    return {k: session.exec(select(func.count()).select_from(m)).one() for k, m in models.items()}


def test_dev_data_imports_in_full(session: Session) -> None:
    report = imports.import_paths(session=session, paths=[DEV_DATA], actor="cli")
    session.commit()
    created = {k: c["created"] for k, c in report.counts.items()}
    assert created == {"providers": 25, "solutions": 100, "enterprises": 90, "needs": 262, "links": 42}
    assert report.warnings == [] and report.rows == 519
    assert _counts(session) | {"a": 0, "o": 0} == {"p": 25, "s": 100, "e": 90, "n": 262, "l": 42, "a": 0, "o": 0}
    assert session.exec(select(func.count()).select_from(Need).where(Need.scenario.is_(None))).one() == 79  # type: ignore[union-attr]
    assert {s.status for s in session.exec(select(Solution))} == {"已入库"}
    assert audit.verify(session=session).checked == 519


def test_reimport_changes_nothing(session: Session) -> None:
    imports.import_paths(session=session, paths=[DEV_DATA], actor="cli")
    session.commit()
    before = _counts(session)
    report = imports.import_paths(session=session, paths=[DEV_DATA], actor="cli")
    session.commit()
    assert all(c["created"] == 0 and c["updated"] == 0 for c in report.counts.values())
    assert report.counts["needs"]["unchanged"] == 262
    assert _counts(session) == before


def test_reimport_updates_in_place_by_key(session: Session, tmp_path: Path) -> None:
    imports.import_paths(session=session, paths=[DEV_DATA / "catalog.json"], actor="cli")
    session.commit()
    data = json.loads((DEV_DATA / "catalog.json").read_text("utf-8"))
    data["solutions"][0]["price_wan"] = 41.5
    data["providers"][0]["name"] = "九江浔联数智科技股份有限公司"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps({"providers": data["providers"][:1], "solutions": data["solutions"][:3]}), "utf-8")
    report = imports.import_paths(session=session, paths=[changed], actor="bureau")
    session.commit()
    assert report.counts["solutions"] == {"created": 0, "updated": 1, "unchanged": 2}
    assert report.counts["providers"] == {"created": 0, "updated": 1, "unchanged": 0}
    solution = session.exec(select(Solution).where(Solution.code == data["solutions"][0]["code"])).one()
    assert solution.price_wan == 41.5 and solution.version == 2
    assert session.exec(select(func.count()).select_from(Solution)).one() == 100


def test_ten_mistakes_give_ten_row_errors_and_store_nothing(session: Session, tmp_path: Path) -> None:
    make_provider(session)
    session.commit()
    before = _counts(session)
    path = write_workbook(tmp_path / "bad.xlsx", {
        "服务商": [P_COLS, _provider(服务商名称="  九江浔联数智科技有限公司 ", 简介="ＣＭＭＩ３ 服務商"),
                 _provider(make_uscc("x")[:17] + ("0" if make_uscc("x")[17] != "0" else "1")),
                 _provider(make_uscc("p3"), 服务商类型="综合型服务商"),
                 _provider(make_uscc("p4"), 联系电话="12345"),
                 [None] * 12],
        "产品和解决方案": [S_COLS, _solution("A-1"), _solution("A-2", 应用场景="设备运維管理"),
                    _solution("A-3", **{"价格（万元）": "-5"}), _solution("A-4", **{"实施周期（天）": "三十天"}),
                    _solution("A-5", 服务商统一社会信用代码=make_uscc("nobody")), _solution("A-1"),
                    _solution("A-7", 部署方式="云端")],
        "试点企业": [E_COLS, _enterprise(细分行业="化工业")],
    })
    with pytest.raises(ImportRejected) as caught:
        imports.import_paths(session=session, paths=[path], actor="cli")
    session.commit()
    errors = caught.value.errors
    assert len(errors) == 10, [e.describe() for e in errors]
    where = {(e.sheet, e.row, e.column) for e in errors}
    assert where == {
        ("服务商", 3, "统一社会信用代码"), ("服务商", 4, "服务商类型"), ("服务商", 5, "联系电话"),
        ("产品和解决方案", 3, "应用场景"), ("产品和解决方案", 4, "价格（万元）"), ("产品和解决方案", 5, "实施周期（天）"),
        ("产品和解决方案", 6, "服务商统一社会信用代码"), ("产品和解决方案", 7, "产品编号"), ("产品和解决方案", 8, "部署方式"),
        ("试点企业", 2, "细分行业"),
    }
    messages = {(e.sheet, e.row): e.message for e in errors}
    assert messages[("产品和解决方案", 3)] == "未知的应用场景“设备运维管理”，是否指：设备管理运维？"
    assert "与" in messages[("产品和解决方案", 7)] and "第 2 行" in messages[("产品和解决方案", 7)]
    assert all(e.file == str(path) for e in errors)
    assert _counts(session) == before


def test_missing_required_column_rejects_the_sheet_unknown_column_warns(session: Session, tmp_path: Path) -> None:
    no_uscc = [c for c in P_COLS if c != "统一社会信用代码"]
    path = write_workbook(tmp_path / "cols.xlsx", {"服务商": [no_uscc, _provider()[:1] + _provider()[2:]]})
    with pytest.raises(ImportRejected) as caught:
        imports.import_paths(session=session, paths=[path], actor="cli")
    assert [(e.row, e.column) for e in caught.value.errors] == [(1, "统一社会信用代码")]
    ok = write_workbook(tmp_path / "extra.xlsx", {"服务商": [[*P_COLS, "备注"], [*_provider(), "无"]], "说明": [["x"]]})
    report = imports.import_paths(session=session, paths=[ok], actor="cli")
    assert report.counts["providers"]["created"] == 1
    assert any("备注" in w for w in report.warnings) and any("说明" in w for w in report.warnings)


def test_headers_tolerate_half_width_brackets_and_cells_are_cleaned(session: Session, tmp_path: Path) -> None:
    header = [c.replace("（", "(").replace("）", ")") for c in S_COLS]
    path = write_workbook(tmp_path / "loose.xlsx", {
        "服务商": [P_COLS, _provider()],
        "产品和解决方案": [header, _solution(" Ａ-1 ", 产品名称="  雲端 ＭＥＳ  ", 关键词="'=HYPERLINK(x)；追溯",
                                      **{"价格（万元）": "１２.５"})]})
    imports.import_paths(session=session, paths=[path], actor="cli")
    solution = session.exec(select(Solution)).one()
    assert (solution.code, solution.name, solution.price_wan) == ("A-1", "云端 MES", 12.5)
    assert solution.keywords == ["=HYPERLINK(x)", "追溯"]


def test_references_resolve_across_files_and_against_stored(session: Session, tmp_path: Path) -> None:
    write_workbook(tmp_path / "a_providers.xlsx", {"服务商": [P_COLS, _provider()]})
    solutions = tmp_path / "b_solutions.json"
    solutions.write_text(json.dumps({"solutions": [dict(zip(
        ["code", "name", "provider_uscc", "industries", "scenarios", "description", "deployment", "price_wan",
         "billing", "deploy_days"], _solution("J-1")[:10], strict=True))]}, ensure_ascii=False), "utf-8")
    report = imports.import_paths(session=session, paths=[tmp_path], actor="cli")
    assert report.counts["solutions"]["created"] == 1 and len(report.files) == 2
    session.commit()
    again = imports.import_paths(session=session, paths=[solutions], actor="cli")  # provider now stored
    assert again.counts["solutions"]["unchanged"] == 1


def test_links_check_members_and_upstream(session: Session, tmp_path: Path) -> None:
    imports.import_paths(session=session, paths=[DEV_DATA / "enterprises.json"], actor="cli")
    data = json.loads((DEV_DATA / "chains.json").read_text("utf-8"))
    tier2 = next(link for link in data["links"] if link["via_uscc"])
    bad = [tier2 | {"via_uscc": tier2["leader_uscc"]}, tier2 | {"member_uscc": tier2["leader_uscc"]}]
    path = tmp_path / "links.json"
    path.write_text(json.dumps({"links": [tier2, *bad]}), "utf-8")
    with pytest.raises(ImportRejected) as caught:
        imports.import_paths(session=session, paths=[path], actor="cli")
    messages = [e.message for e in caught.value.errors]
    assert any("上游成员应先作为该链主的成员" in m for m in messages)  # row 1: its tier-1 member is not linked
    assert any("不能是链主或成员本身" in m for m in messages) and any("成员不能是链主本身" in m for m in messages)


def test_import_bytes_json_and_bad_files(session: Session) -> None:
    content = (DEV_DATA / "catalog.json").read_bytes()
    report = imports.import_bytes(session=session, filename="catalog.json", content=content, actor="web",
                                  status=imports.ListingStatus.PENDING)
    assert report.counts["providers"]["created"] == 25
    assert {p.status for p in session.exec(select(Provider))} == {"待审核"}
    for name, body, text in [("x.json", b"{oops", "JSON 格式错误"), ("x.xlsx", b"not a zip", "无法读取 Excel"),
                             ("x.csv", b"a,b", "不支持的文件类型")]:
        with pytest.raises(ImportRejected) as caught:
            imports.import_bytes(session=session, filename=name, content=body, actor="web")
        assert text in caught.value.errors[0].message


def test_probable_duplicates_are_flagged_and_reported(session: Session, tmp_path: Path) -> None:
    make_provider(session, "first", name="江西省九江市浔联数智科技有限公司")
    path = write_workbook(tmp_path / "dup.xlsx", {"服务商": [
        P_COLS, _provider(服务商名称="九江浔联数智科技股份有限公司"),
        _provider(make_uscc("third"), 服务商名称="浔联数智科技有限公司")]})
    report = imports.import_paths(session=session, paths=[path], actor="cli")
    first = session.exec(select(Provider).order_by(Provider.id)).first()
    flagged = session.exec(select(Provider).where(Provider.probable_duplicate_of == first.id)).all()  # type: ignore[union-attr]
    assert len(flagged) == 2 and len(report.duplicates) == 2
    assert "疑似重复" in report.duplicates[0]


_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_SML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SML}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SML}.sharedStrings+xml"/></Types>')


def _excel_like_workbook(path: Path, title: str, rows: list[list[Any]]) -> Path:
    """A workbook as Excel/WPS write it: shared strings (one as rich text), sparse cells, a formula
    with its cached value, an absolute relationship target."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strings: list[str] = []
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if value is None:
                continue  # Excel leaves empty cells out
            if isinstance(value, tuple):  # ("formula", cached number)
                cells.append(f'<c r="{ref}"><f>{value[0]}</f><v>{value[1]}</v></c>')
            elif isinstance(value, str):
                strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    items = [f"<si><t>{s}</t></si>" for s in strings]
    items[0] = f"<si><r><t>{strings[0][:2]}</t></r><r><rPr><b/></rPr><t>{strings[0][2:]}</t></r></si>"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="http://schemas.openxmlformats.org/'
                         f'officeDocument/2006/relationships"><sheets><sheet name="{title}" sheetId="1" r:id="rId1"/>'
                         "</sheets></workbook>")
        archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package'
                         '/2006/relationships"><Relationship Id="rId1" Target="/xl/worksheets/sheet1.xml" Type="'
                         'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>')
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}">{"".join(items)}</sst>')
        archive.writestr("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{main}"><sheetData>{"".join(sheet_rows)}'
                         "</sheetData></worksheet>")
    return path


def test_excel_written_workbook_with_shared_strings_and_formulas(session: Session, tmp_path: Path) -> None:
    row = _provider(**{"服务区域": None, "资质": None, "服务容量（家/批）": ("10+5", 15), "联系电话": 18754255503})
    path = _excel_like_workbook(tmp_path / "excel.xlsx", "服务商", [P_COLS, [], row])
    report = imports.import_paths(session=session, paths=[path], actor="cli")
    assert report.counts["providers"]["created"] == 1
    provider = session.exec(select(Provider)).one()
    assert (provider.name, provider.capacity, provider.contact_phone) == ("九江浔联数智科技有限公司", 15, "18754255503")
    assert provider.service_regions == [] and provider.certifications == []
