"""Search documents built from catalogue records (plain dicts, ready for Meilisearch).

Every text field is folded like queries are (traditional → simplified, full-width →
half-width); `subwords` holds the dictionary words inside longer words (what jieba's
search mode adds), so that a part of a compound finds it (纺织 → 棉纺织, 处理 → 待处理);
the whole words are left out, as the engine finds them in the fields themselves, and
indexing them twice was most of the indexing time. `synonyms` holds every term of every
synonym group the record mentions, so a query in any spelling of a concept finds it.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

import orjson

from catalog.enterprises.models import Enterprise, Need
from catalog.language import segment
from catalog.language.synonyms import synonyms
from catalog.language.text import clean_value, normalize
from catalog.providers.models import ListingStatus, Provider
from catalog.regions import served_keys
from catalog.solutions.models import Solution
from catalog.taxonomy import ancestors, taxonomy

# The shape of a solution document: raised whenever its fields change, so an index written
# in an older shape is rebuilt when the index worker starts (search_index.sync).
SOLUTION_SHAPE = 3

PRICE_BANDS: tuple[tuple[float, str], ...] = (
    (1, "1万元以下"), (5, "1–5万元"), (20, "5–20万元"), (50, "20–50万元"), (float("inf"), "50万元以上"),
)


def price_band(price_wan: float) -> str:
    """The price band (facet value) of a price in 万元."""
    for upper, label in PRICE_BANDS:
        if price_wan < upper:
            return label
    return PRICE_BANDS[-1][1]


def industry_codes(codes: list[str]) -> list[str]:
    """The codes with their parents (C261 → C261, C26), for filtering by a division."""
    out: dict[str, None] = {}
    for code in codes:
        for item in ancestors(code):
            out[item] = None
    return list(out)


def region_prefixes(region: str | None) -> list[str]:
    """Every leading part of a region (江, 江西, 江西省 …), so a filter can ask for the listings
    of providers whose region starts with a bureau's region."""
    return [region[:end] for end in range(1, len(region) + 1)] if region else []


def industry_names(codes: list[str]) -> list[str]:
    names = taxonomy().industries
    return [names[c] for c in codes if c in names and names[c] != "*"] + (["通用"] if "通用" in codes else [])


def subwords(*texts: str) -> str:
    """The words inside the longer words of the folded texts, de-duplicated, space-separated."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in segment.parts(normalize(text)):
            seen[word] = None
    return " ".join(seen)


def synonym_terms(*texts: str) -> list[str]:
    """Every term of the synonym groups the texts mention."""
    return list(dict.fromkeys(synonyms().expand(" ".join(normalize(t) for t in texts))))


def content_rev(doc: dict[str, Any]) -> str:
    """A hash of a document's content: a search that gets only ids and revs can tell
    whether a document it holds is still the indexed one (search_index.candidates)."""
    body = orjson.dumps({k: v for k, v in doc.items() if k != "rev"}, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(body, digest_size=8).hexdigest()


def solution_document(solution: Solution, provider: Provider, rating: float | None = None) -> dict[str, Any]:
    """The `solutions` index document of a solution (with its provider's region and name)."""
    keywords = [clean_value(k) for k in solution.keywords]
    text = " ".join([solution.name, " ".join(keywords), solution.description])
    public = solution.status == ListingStatus.PUBLISHED and provider.status == ListingStatus.PUBLISHED
    doc = {
        "id": solution.id,
        "code": solution.code,
        "name": clean_value(solution.name),
        "keywords": keywords,
        "description": clean_value(solution.description),
        "scenarios": list(solution.scenarios),
        "industries": industry_codes(list(solution.industries)),
        "industry_names": industry_names(list(solution.industries)),
        "provider_id": provider.id,
        "provider_name": clean_value(provider.name),
        "region": provider.region,
        "region_prefixes": region_prefixes(provider.region),
        "service_regions": list(provider.service_regions) or ["全国"],
        "served": served_keys(provider.service_regions),
        "deployment": solution.deployment,
        "billing": solution.billing,
        "price_wan": solution.price_wan,
        "price_band": price_band(solution.price_wan),
        "deploy_days": solution.deploy_days,
        "size_fit": solution.size_fit,
        "target_level": solution.target_level or "",
        "status": solution.status,
        "public": public,
        "excellent": bool(solution.excellent),
        "rating": rating or 0.0,
        "listed_at": solution.created_at.timestamp(),
        "subwords": subwords(solution.name, " ".join(keywords), solution.description),
        "synonyms": synonym_terms(text),
        "shape": SOLUTION_SHAPE,
    }
    doc["rev"] = content_rev(doc)
    doc["indexed_at"] = time.time()  # when it was written: a search can tell it learnt the index before
    return doc


def provider_document(provider: Provider, rating: float | None = None) -> dict[str, Any]:
    """The `providers` index document of a provider."""
    return {
        "id": provider.id,
        "name": clean_value(provider.name),
        "kind": provider.kind,
        "region": provider.region,
        "service_regions": list(provider.service_regions) or ["全国"],
        "industries": industry_codes(list(provider.industries)),
        "industry_names": industry_names(list(provider.industries)),
        "scenarios": list(provider.scenarios),
        "description": clean_value(provider.description),
        "certifications": list(provider.certifications),
        "capacity": provider.capacity,
        "status": provider.status,
        "public": provider.status == ListingStatus.PUBLISHED,
        "rating": rating or 0.0,
        "subwords": subwords(provider.name, provider.description),
        "synonyms": synonym_terms(provider.description),
    }


def need_document(need: Need, enterprise: Enterprise) -> dict[str, Any]:
    """The `needs` index document of a need (bureau users only)."""
    return {
        "id": need.id,
        "code": need.code,
        "text": clean_value(need.text),
        "scenario": need.scenario or "",
        "priority": need.priority,
        "budget_wan": need.budget_wan if need.budget_wan is not None else 0.0,
        "enterprise_id": enterprise.id,
        "enterprise_name": clean_value(enterprise.name),
        "region": enterprise.region,
        "size": enterprise.size,
        "industries": industry_codes([enterprise.industry]),
        "industry_names": industry_names([enterprise.industry]),
        "subwords": subwords(need.text),
        "synonyms": synonym_terms(need.text),
    }
