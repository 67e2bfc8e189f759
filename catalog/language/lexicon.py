"""Plain-language pain points → scenarios, from a lexicon kept as data (data/lexicon.json).

Enterprises write needs in their own words (车间设备老是突然停机); the lexicon maps the
cues in such text to the 17 scenarios of the taxonomy. Search and matching learn their
cues from the catalogue (catalog.language.scenes) and fall back on these when a text
shares no word with any listing; chain analyses use them to group members' needs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from catalog.language.text import normalize
from catalog.taxonomy import taxonomy


@dataclass(frozen=True)
class Lexicon:
    cues: dict[str, tuple[tuple[str, float], ...]]  # cue → ((scenario, weight), …)


@cache
def lexicon() -> Lexicon:
    """Load the lexicon shipped with the package."""
    raw = json.loads((Path(__file__).resolve().parents[1] / "data" / "lexicon.json").read_text("utf-8"))
    cues: dict[str, list[tuple[str, float]]] = {}
    for scenario, table in raw["scenarios"].items():
        for cue, weight in table.items():
            cues.setdefault(normalize(cue), []).append((scenario, float(weight)))
    for scenario in taxonomy().scenarios:  # the scenario's own name is a strong cue
        cues.setdefault(normalize(scenario), []).append((scenario, 3.0))
    return Lexicon(cues={k: tuple(v) for k, v in cues.items()})


def _matched_cues(text: str, table: Mapping[str, object]) -> list[str]:
    """Cues found in `text`, dropping a cue contained in a longer matched cue."""
    found = [cue for cue in table if cue and cue in text]
    found.sort(key=len, reverse=True)
    kept: list[str] = []
    for cue in found:
        if not any(cue in longer for longer in kept):
            kept.append(cue)
    return kept


@cache
def infer_scenarios(text: str) -> list[tuple[str, float]]:
    """Scenarios a need text speaks of, best first, with shares that sum to 1.

    Returns an empty list when no cue is found.
    """
    norm = normalize(text)
    table = lexicon().cues
    totals: dict[str, float] = {}
    for cue in _matched_cues(norm, table):
        for scenario, weight in table[cue]:
            totals[scenario] = totals.get(scenario, 0.0) + weight * (1.0 + 0.1 * (len(cue) - 1))
    whole = sum(totals.values())
    if not whole:
        return []
    return sorted(((s, v / whole) for s, v in totals.items()), key=lambda item: -item[1])


def scenario_cues(text: str) -> list[str]:
    """The cues of the lexicon found in a text (for explanations)."""
    return _matched_cues(normalize(text), lexicon().cues)
