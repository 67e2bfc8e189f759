"""Build the demo data set (seed/data/*.json) from the hand-written blocks, deterministically.

Run `python -m seed.build` after editing a block; the committed JSON is what loads.
USCCs, contacts and phones derive from hashes of the names, so adding a record never
changes the others.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

from seed.blocks_enterprises import CITIES, ENTERPRISES, LINKS, EnterpriseBlock
from seed.blocks_needs import GENERIC_NEEDS, LEADER_NEEDS, NEED_TAILS, SEGMENT_NEEDS
from seed.blocks_providers import PROVIDERS, ProviderBlock
from seed.blocks_solutions_a import SOLUTIONS_A, SolutionBlock
from seed.blocks_solutions_b import SOLUTIONS_B

DATA_DIR = Path(__file__).resolve().parent / "data"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# Administrative division codes (GB/T 2260) of the cities the demo companies sit in.
ADMIN_CODES = {
    "江西省九江市": "360400", "江西省南昌市": "360100", "河南省新乡市": "410700",
    "河南省郑州市": "410100", "新疆维吾尔自治区昌吉回族自治州": "652300",
    "新疆维吾尔自治区乌鲁木齐市": "650100", "浙江省杭州市": "330100", "上海市": "310000",
    "广东省深圳市": "440300", "广东省广州市": "440100", "江苏省苏州市": "320500",
    "江苏省南京市": "320100", "湖北省武汉市": "420100", "四川省成都市": "510100",
    "北京市": "110000", "陕西省西安市": "610100",
}

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
_GIVEN = ["建国", "志强", "晓燕", "海峰", "丽娟", "俊杰", "明辉", "雪梅", "国庆", "红霞", "文斌", "立新",
          "玉兰", "振华", "春生", "静", "磊", "敏", "伟", "勇", "海燕", "德明", "新民", "佳怡", "子涵"]
_MOBILE_PREFIXES = ["135", "136", "138", "139", "150", "151", "158", "177", "180", "186", "189", "191", "199"]

# Solutions the bureau has rated 优秀, and listings not (or no longer) published.
EXCELLENT = [
    "浔智化工批次生产执行系统", "危化品安全风险智能化管控平台", "纺联细纱单锭监测系统",
    "起重机远程监测与预测性维护平台", "UDI赋码与追溯系统", "轻帆云MES", "联测预测性维护平台",
    "电力装备生产过程管理系统", "链主供应商协同门户",
]
PENDING_PROVIDERS = ["新乡牧原汇智信息科技有限公司", "西安秦联工业网络技术有限公司"]
PENDING_SOLUTIONS = ["数策AI经营问答助手", "瞳析包装标签OCR核验"]
SUSPENDED_SOLUTIONS = {"销帮营销获客工具": "多家企业反映线索质量与宣传不符，暂停展示待整改"}
FINDABLE_ENTERPRISES = ["jj_lead", "jj_hualun", "jj_jingtai", "xx_lead", "xx_hongli", "xx_kangjie",
                        "xx_hengtong", "cj_lead", "cj_yinhe", "cj_fanqie", "cj_tianlong"]
NO_CHAIN_SHARING = ["jj_yonglian", "xx_yuguan", "cj_runda"]


def uscc_check_digit(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 (GB 32100-2015)."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("|".join(parts).encode("utf-8")).digest()


def make_uscc(name: str, region: str) -> str:
    """A valid, stable USCC for a (fictional) company: 91 + division code + 9 chars + check."""
    city = next((c for c in ADMIN_CODES if region.startswith(c)), "")
    body = "".join(USCC_ALPHABET[b % 31] for b in _digest("uscc", name)[:9])
    first17 = "91" + ADMIN_CODES.get(city, "110000") + body
    return first17 + uscc_check_digit(first17)


def make_contact(name: str) -> tuple[str, str]:
    """A stable contact person and mainland mobile number for a company."""
    d = _digest("contact", name)
    person = _SURNAMES[d[0] % len(_SURNAMES)] + _GIVEN[d[1] % len(_GIVEN)]
    digits = "".join(str(b % 10) for b in d[3:11])
    return person, _MOBILE_PREFIXES[d[2] % len(_MOBILE_PREFIXES)] + digits


def _split(value: str) -> list[str]:
    return [v for v in value.split(";") if v]


def _union(first: list[str], more: list[str]) -> list[str]:
    return list(dict.fromkeys(first + more))


def all_solutions() -> dict[str, list[SolutionBlock]]:
    return {**SOLUTIONS_A, **SOLUTIONS_B}


def provider_record(block: ProviderBlock, solutions: list[SolutionBlock]) -> dict[str, Any]:
    contact, phone = make_contact(block.name)
    return {
        "name": block.name,
        "uscc": make_uscc(block.name, block.region),
        "kind": block.kind,
        "region": block.region,
        "service_regions": _split(block.service_regions),
        "industries": _union(_split(block.industries), [i for s in solutions for i in _split(s.industries)]),
        "scenarios": _union(_split(block.scenarios), [c for s in solutions for c in _split(s.scenarios)]),
        "description": block.description,
        "certifications": _split(block.certifications),
        "capacity": block.capacity,
        "contact_name": contact,
        "contact_phone": phone,
    }


def solution_record(code: str, block: SolutionBlock, provider_uscc: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "code": code,
        "name": block.name,
        "provider_uscc": provider_uscc,
        "industries": _split(block.industries),
        "scenarios": _split(block.scenarios),
        "description": block.description,
        "deployment": block.deployment,
        "price_wan": block.price_wan,
        "billing": block.billing,
        "deploy_days": block.deploy_days,
        "size_fit": block.size_fit,
        "keywords": _split(block.keywords),
    }
    if block.target_level:
        record["target_level"] = block.target_level
    return record


def build_catalog() -> dict[str, list[dict[str, Any]]]:
    """Providers and their solutions (codes SZT-001 … in provider order)."""
    by_provider = all_solutions()
    providers: list[dict[str, Any]] = []
    solutions: list[dict[str, Any]] = []
    for block in PROVIDERS:
        own = by_provider.get(block.key, [])
        provider = provider_record(block, own)
        providers.append(provider)
        for item in own:
            solutions.append(solution_record(f"SZT-{len(solutions) + 1:03d}", item, provider["uscc"]))
    return {"providers": providers, "solutions": solutions}


def enterprise_region(city: str, block: EnterpriseBlock) -> str:
    return CITIES[city] + block.district


def enterprise_record(city: str, block: EnterpriseBlock) -> dict[str, Any]:
    region = enterprise_region(city, block)
    return {
        "name": block.name,
        "uscc": make_uscc(block.name, region),
        "region": region,
        "industry": block.industry,
        "size": block.size,
        "srdi_tier": block.srdi_tier,
        "level": block.level,
        "budget_wan": block.budget_wan,
        "batch": block.batch,
    }


class NeedWriter:
    """Picks need texts for enterprises: each segment line is used once, then generic lines."""

    def __init__(self) -> None:
        self.queues: dict[str, list[tuple[str, str]]] = {}
        self.used_generic: set[str] = set()

    def segment(self, industry: str, taken: set[str], count: int) -> list[tuple[str, str]]:
        key = industry if industry in SEGMENT_NEEDS else industry[:3]
        queue = self.queues.setdefault(key, list(SEGMENT_NEEDS.get(key, [])))
        picked: list[tuple[str, str]] = []
        for item in list(queue):
            if len(picked) >= count:
                break
            if item[0] not in taken:
                picked.append(item)
                taken.add(item[0])
                queue.remove(item)
        return picked

    def generic(self, rng: random.Random, taken: set[str]) -> tuple[str, str]:
        scenarios = [s for s in GENERIC_NEEDS if s not in taken]
        for _ in range(20):
            scenario = rng.choice(scenarios)
            pain, asks = rng.choice(GENERIC_NEEDS[scenario])
            text = f"{pain}，{rng.choice(asks)}{rng.choice(NEED_TAILS)}"
            if text not in self.used_generic:
                break
        self.used_generic.add(text)
        taken.add(scenario)
        return scenario, text


def _need_budget(rng: random.Random, budget: float | None) -> float | None:
    if budget is None or rng.random() < 0.25:
        return None
    return max(0.5, round(budget * rng.choice([0.15, 0.2, 0.3, 0.4, 0.5]) * 2) / 2)


def _priority(rng: random.Random, position: int) -> str:
    if position == 0:
        return "高"
    return rng.choices(["高", "中", "低"], weights=[2, 5, 2])[0]


def needs_for(block: EnterpriseBlock, uscc: str, writer: NeedWriter) -> list[dict[str, Any]]:
    """2–4 need lines for one enterprise; about a third leave the scenario blank."""
    rng = random.Random(f"needs|{block.key}")
    if block.key in LEADER_NEEDS:
        lines = [(s, t, p, b) for s, t, p, b in LEADER_NEEDS[block.key]]
    else:
        count = rng.choice([2, 3, 3, 4])
        taken: set[str] = set()
        picked = writer.segment(block.industry, taken, 1 if count == 2 else 2)
        while len(picked) < count:
            picked.append(writer.generic(rng, taken))
        lines = [(s, t, _priority(rng, i), _need_budget(rng, block.budget_wan)) for i, (s, t) in enumerate(picked)]
    needs = []
    for i, (scenario, text, priority, budget) in enumerate(lines, start=1):
        blank = rng.random() < 0.3
        needs.append({
            "enterprise_uscc": uscc, "code": f"N{i}", "scenario": None if blank else scenario,
            "text": text, "priority": priority, "budget_wan": budget,
        })
    return needs


def build_enterprises() -> dict[str, list[dict[str, Any]]]:
    """Enterprises of the three pilot cities and their need lists."""
    writer = NeedWriter()
    enterprises, needs = [], []
    for city, blocks in ENTERPRISES.items():
        for block in blocks:
            record = enterprise_record(city, block)
            enterprises.append(record)
            needs.extend(needs_for(block, record["uscc"], writer))
    return {"enterprises": enterprises, "needs": needs}


def enterprise_usccs() -> dict[str, str]:
    """Enterprise key → USCC."""
    return {b.key: make_uscc(b.name, enterprise_region(city, b)) for city, bs in ENTERPRISES.items() for b in bs}


def build_chains() -> dict[str, list[dict[str, Any]]]:
    """The three supply chains as exchange-format links."""
    uscc = enterprise_usccs()
    return {"links": [
        {"leader_uscc": uscc[link.leader], "member_uscc": uscc[link.member],
         "via_uscc": uscc[link.via] if link.via else None, "relation": link.relation, "share": link.share}
        for link in LINKS
    ]}


def build_statuses(catalog: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Statuses, 优秀 flags and privacy opt-ins the loader applies after the import."""
    provider_uscc = {p["name"]: p["uscc"] for p in catalog["providers"]}
    code = {s["name"]: s["code"] for s in catalog["solutions"]}
    pending_owned = [s["code"] for s in catalog["solutions"]
                     if s["provider_uscc"] in {provider_uscc[n] for n in PENDING_PROVIDERS}]
    uscc = enterprise_usccs()
    return {
        "_note": "默认全部入库（已入库）；此处列出例外状态、优秀标记和企业隐私授权。",
        "providers": {provider_uscc[n]: "待审核" for n in PENDING_PROVIDERS},
        "solutions": {
            **dict.fromkeys(pending_owned, "待审核"),
            **{code[n]: "待审核" for n in PENDING_SOLUTIONS},
            **{code[n]: "暂停" for n in SUSPENDED_SOLUTIONS},
        },
        "remarks": {code[n]: remark for n, remark in SUSPENDED_SOLUTIONS.items()},
        "excellent": [code[n] for n in EXCELLENT],
        "findable_by_providers": [uscc[k] for k in FINDABLE_ENTERPRISES],
        "share_needs_with_chain": sorted(
            {uscc[x] for link in LINKS for x in (link.leader, link.member)} - {uscc[k] for k in NO_CHAIN_SHARING}
        ),
    }


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def build_all(target: Path = DATA_DIR) -> dict[str, dict[str, Any]]:
    """Write catalog.json, enterprises.json, chains.json and statuses.json under `target`."""
    target.mkdir(parents=True, exist_ok=True)
    catalog = build_catalog()
    files = {
        "catalog.json": catalog,
        "enterprises.json": build_enterprises(),
        "chains.json": build_chains(),
        "statuses.json": build_statuses(catalog),
    }
    for name, payload in files.items():
        write_json(target / name, payload)
    return files


if __name__ == "__main__":  # pragma: no cover
    for name, payload in build_all().items():
        counts = "，".join(f"{k} {len(v)}" for k, v in payload.items() if not k.startswith("_"))
        print(f"{name}: {counts}")
