"""A synthetic pilot at any size, grown from the dev set, for benchmarks (not for quality).

Offerings are the dev offerings re-issued by cloned providers, with their description
mixed with a sentence of another offering of the same scenario, shuffled keywords, jittered
prices and, for some, another industry; needs are dev needs spoken by other enterprises.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from matching.records import (
    Catalogue,
    EnterpriseRecord,
    NeedRecord,
    ProviderRecord,
    load_catalogue,
    load_enterprises,
)

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"
PREFIXES = ("", "智慧", "云", "轻量化", "新一代", "易用", "标准版", "专业版", "企业版", "精益")
INDUSTRIES = ("C13", "C14", "C17", "C171", "C26", "C261", "C27", "C32", "C34", "C343",
              "C36", "C367", "C38", "C382", "C39", "C397", "通用")


def synthetic_catalogue(size: int, seed: int = 7) -> Catalogue:
    """`size` offerings from about size/4 providers."""
    rng = random.Random(seed)
    dev = load_catalogue(DEV / "catalog.json")
    by_scenario: dict[str, list[str]] = {}
    for s in dev.solutions:
        for sentence in s.description.split("。"):
            if sentence:
                by_scenario.setdefault(s.scenarios[0], []).append(sentence)
    providers: dict[str, ProviderRecord] = {}
    solutions = []
    for i in range(size):
        base = dev.solutions[i % len(dev.solutions)]
        clone = i // len(dev.solutions)
        pid = f"{base.provider_id}-{clone % max(1, size // 400)}"
        if pid not in providers:
            src = dev.providers[base.provider_id]
            providers[pid] = replace(src, id=pid, capacity=rng.choice((10, 20, 30, 50)))
        extra = rng.choice(by_scenario[base.scenarios[0]])
        keywords = list(base.keywords)
        rng.shuffle(keywords)
        industries = base.industries if rng.random() < 0.7 else (rng.choice(INDUSTRIES),)
        solutions.append(replace(
            base, id=f"S{i:06d}", provider_id=pid, industries=industries,
            name=rng.choice(PREFIXES) + base.name, keywords=tuple(keywords[: rng.randint(3, 6)]),
            description=f"{base.description}{extra}。",
            price_wan=round(base.price_wan * rng.uniform(0.6, 1.5), 2),
        ))
    return Catalogue(solutions=solutions, providers=providers)


def synthetic_cohort(enterprises: int, needs_each: int = 4,
                     seed: int = 11) -> tuple[list[EnterpriseRecord], list[NeedRecord]]:
    """`enterprises` enterprises with `needs_each` needs each, drawn from the dev set."""
    rng = random.Random(seed)
    dev_ents, dev_needs = load_enterprises(DEV / "enterprises.json")
    ents, needs = [], []
    for i in range(enterprises):
        base = dev_ents[i % len(dev_ents)]
        ent = replace(base, id=f"E{i:06d}", budget_wan=base.budget_wan)
        ents.append(ent)
        for j in range(needs_each):
            src = rng.choice(dev_needs)
            needs.append(replace(src, id=f"{ent.id}/N{j + 1}", enterprise_id=ent.id))
    return ents, needs
