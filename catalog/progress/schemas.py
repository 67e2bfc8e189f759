"""What a bureau enters for the progress lists."""

from __future__ import annotations

from pydantic import BaseModel, Field


class FinanceProductIn(BaseModel):
    """A 数转贷-type product for the finance list (金融清单)."""

    name: str = Field(min_length=1, max_length=100, description="产品名称")
    lender: str = Field(min_length=1, max_length=100, description="金融机构")
    rate_pct: float | None = Field(default=None, ge=0, le=36, description="年利率（%）")
    cap_wan: float | None = Field(default=None, ge=0, le=1_000_000, description="额度上限（万元）")
    term_months: int | None = Field(default=None, ge=1, le=600, description="期限（月）")
    note: str = Field(default="", max_length=500)
