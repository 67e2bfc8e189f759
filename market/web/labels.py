"""Chinese labels of record fields, and how a stored value reads on a page."""

from __future__ import annotations

from typing import Any

from market.web.page_common import industry_name

PROVIDER_LABELS = {
    "name": "服务商名称",
    "uscc": "统一社会信用代码",
    "kind": "服务商类型",
    "region": "所在地区",
    "service_regions": "服务区域",
    "industries": "服务行业",
    "scenarios": "能力场景",
    "description": "简介",
    "certifications": "资质",
    "capacity": "服务容量（家/批）",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "lead_provider_id": "主导服务商",
    "status": "状态",
    "review_remark": "审核意见",
}

SOLUTION_LABELS = {
    "code": "产品编号",
    "name": "产品名称",
    "provider_id": "服务商",
    "industries": "适用行业",
    "scenarios": "应用场景",
    "description": "功能描述",
    "deployment": "部署方式",
    "price_wan": "价格（万元）",
    "billing": "计费方式",
    "deploy_days": "实施周期（天）",
    "size_fit": "适用规模",
    "target_level": "目标数字化水平",
    "keywords": "关键词",
    "status": "状态",
    "excellent": "优秀",
    "review_remark": "审核意见",
}

ENTERPRISE_LABELS = {
    "name": "企业名称",
    "uscc": "统一社会信用代码",
    "region": "所在地区",
    "industry": "细分行业",
    "size": "企业规模",
    "srdi_tier": "专精特新",
    "level": "当前数字化水平",
    "budget_wan": "改造预算（万元）",
    "batch": "试点批次",
    "findable_by_providers": "允许服务商查找",
    "share_budget": "向服务商公开预算",
    "share_needs_with_chain": "向链主共享需求",
}

PARTICIPANT_LABELS = {
    "enterprise_id": "企业",
    "provider_id": "服务商",
    "sessions": "参加的场次",
    "need_ids": "带来的需求",
    "solution_ids": "带来的产品",
    "representatives": "派出代表人数",
}

LABELS = {"provider": PROVIDER_LABELS, "solution": SOLUTION_LABELS, "enterprise": ENTERPRISE_LABELS,
          "event_participant": PARTICIPANT_LABELS}


def label(record_type: str, field: str) -> str:
    """The Chinese title of a field (the field name itself when unknown)."""
    return LABELS.get(record_type, {}).get(field, field)


def show(field: str, value: Any) -> str:
    """A stored value as a page shows it: lists joined, codes named, booleans as 是/否."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field in ("industries", "industry"):
        codes = value if isinstance(value, list) else [value]
        return "、".join(industry_name(str(c)) for c in codes)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
