"""The exchange format (../shared/formats/README.md): sheets, column titles, JSON keys and
the limits every imported file must respect. Import and export both read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import SQLModel

from catalog.chains.schemas import ChainLinkRow
from catalog.enterprises.schemas import EnterpriseCreate, NeedRow
from catalog.language.text import clean_value
from catalog.providers.schemas import ProviderCreate
from catalog.solutions.schemas import SolutionRow

# Limits on an imported file (hostile or merely broken input must fail fast and clearly).
MAX_FILE_BYTES = 50 * 1024 * 1024  # an uploaded or imported file
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024  # the sum of a workbook's parts once unzipped
MAX_COMPRESSION_RATIO = 200  # uncompressed / compressed, per part above MIN_RATIO_CHECK_BYTES
MIN_RATIO_CHECK_BYTES = 1024 * 1024
MAX_ROWS_PER_SHEET = 100_000  # data rows of one sheet or JSON list
MAX_COLUMNS = 200  # columns read per row; the exchange format has at most 13
MAX_CELL_CHARS = 8_000  # one cell: four times the longest field's bound (catalog/limits.py)
# What one import may hold in memory, whatever its file size: a workbook's shared strings
# (count and characters) and the characters of every cell kept for validation.
MAX_SHARED_STRINGS = 500_000
MAX_SHARED_CHARS = 20_000_000
MAX_IMPORT_CHARS = 20_000_000
MAX_JSON_CONTAINERS = 6 * MAX_ROWS_PER_SHEET  # objects and lists of a JSON file, counted before parsing
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    title: str
    key: str
    required: bool


@dataclass(frozen=True)
class Sheet:
    key: str  # the JSON list name
    title: str  # the sheet name
    model: type[SQLModel]
    columns: tuple[Column, ...]

    def by_title(self) -> dict[str, Column]:
        return {title_key(c.title): c for c in self.columns}

    def title_of(self, key: str) -> str:
        return next((c.title for c in self.columns if c.key == key), key)


def _cols(*spec: tuple[str, str, bool]) -> tuple[Column, ...]:
    return tuple(Column(*item) for item in spec)


SHEETS: tuple[Sheet, ...] = (
    Sheet("providers", "服务商", ProviderCreate, _cols(
        ("服务商名称", "name", True), ("统一社会信用代码", "uscc", True), ("服务商类型", "kind", True),
        ("所在地区", "region", True), ("服务区域", "service_regions", False), ("服务行业", "industries", True),
        ("能力场景", "scenarios", True), ("简介", "description", True), ("资质", "certifications", False),
        ("服务容量（家/批）", "capacity", False), ("联系人", "contact_name", False),
        ("联系电话", "contact_phone", False))),
    Sheet("solutions", "产品和解决方案", SolutionRow, _cols(
        ("产品编号", "code", True), ("产品名称", "name", True), ("服务商统一社会信用代码", "provider_uscc", True),
        ("适用行业", "industries", True), ("应用场景", "scenarios", True), ("功能描述", "description", True),
        ("部署方式", "deployment", True), ("价格（万元）", "price_wan", True), ("计费方式", "billing", True),
        ("实施周期（天）", "deploy_days", True), ("适用规模", "size_fit", False),
        ("目标数字化水平", "target_level", False), ("关键词", "keywords", False))),
    Sheet("enterprises", "试点企业", EnterpriseCreate, _cols(
        ("企业名称", "name", True), ("统一社会信用代码", "uscc", True), ("所在地区", "region", True),
        ("细分行业", "industry", True), ("企业规模", "size", True), ("专精特新", "srdi_tier", False),
        ("当前数字化水平", "level", False), ("改造预算（万元）", "budget_wan", False), ("试点批次", "batch", False))),
    Sheet("needs", "需求清单", NeedRow, _cols(
        ("企业统一社会信用代码", "enterprise_uscc", True), ("需求编号", "code", True), ("应用场景", "scenario", False),
        ("需求描述", "text", True), ("优先级", "priority", False), ("预算（万元）", "budget_wan", False))),
    Sheet("links", "产业链关系", ChainLinkRow, _cols(
        ("链主统一社会信用代码", "leader_uscc", True), ("成员统一社会信用代码", "member_uscc", True),
        ("上游成员统一社会信用代码", "via_uscc", False), ("关系", "relation", True), ("采购占比", "share", False))),
)
SHEET_BY_KEY = {s.key: s for s in SHEETS}
LIST_LABELS = {s.key: s.title for s in SHEETS}


def title_key(title: object) -> str:
    """A sheet or column title as compared: normalised, without spaces or a required-mark '*'."""
    return clean_value(str(title)).replace(" ", "").strip("*").lower()


SHEET_BY_TITLE = {title_key(s.title): s for s in SHEETS}


def unquote(value: Any) -> Any:
    """Undo the export's formula neutralisation: '=1+1 → =1+1."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r'":
        return value[1:]
    return value
