"""Chain benchmark: the dev chains, a generated region, and the proposal vs an exact solver.

    .venv/bin/python bench/chain.py            # everything (about a minute on 2 cores)
    .venv/bin/python bench/chain.py --quick    # a region of 10 chains instead of 50

Prints figures; asserts nothing. Targets (issue 7): dev chains' analysis and proposal
≤ 1 s each; a region of 50 chains, 10,000 enterprises, 40,000 links: all analyses of
one chain ≤ 2 s, the region's overview ≤ 10 s, memory ≤ 1 GB; the proposal's coverage
within 5% of the optimum (OR-Tools CP-SAT) on small chains.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from match_synthetic import synthetic_cohort  # noqa: E402
from ortools.sat.python import cp_model  # noqa: E402

from catalog.language.lexicon import infer_scenarios  # noqa: E402
from matching.chains.analysis import analyse_chain, build_region, region_overview, visible_needs  # noqa: E402
from matching.chains.coverage import CoverageProblem, coverage_value, selection_cost, solve_coverage  # noqa: E402
from matching.chains.graph import LinkRecord, Region, graph_json  # noqa: E402
from matching.chains.needs import assign_scenarios  # noqa: E402
from matching.chains.proposal import build_problem, propose_chain  # noqa: E402
from matching.records import NeedRecord, SolutionRecord, load_catalogue, load_enterprises  # noqa: E402

DEV = ROOT.parent / "shared" / "data" / "dev"


def scenario_scorer(needs: Sequence[NeedRecord]) -> Callable[[NeedRecord, SolutionRecord], float]:
    """A simple deterministic scorer: 1 when the need's (given or inferred) scenario is the offering's."""
    scenario_of, _ = assign_scenarios(needs, infer=infer_scenarios)
    return lambda need, sol: 1.0 if scenario_of.get(need.id) in sol.scenarios else 0.0


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def dev_chains() -> None:
    enterprises, needs = load_enterprises(DEV / "enterprises.json")
    raw = json.loads((DEV / "chains.json").read_text("utf-8"))["links"]
    links = [LinkRecord(r["leader_uscc"], r["member_uscc"], r["relation"], r["via_uscc"], r["share"])
             for r in raw]
    solutions = load_catalogue(DEV / "catalog.json").solutions
    region = build_region(enterprises=enterprises, links=links)
    shown = visible_needs(needs=needs, consent={}, viewer_id=None, viewer_is_bureau=True)
    score = scenario_scorer(needs)
    print("== dev set: three chains (target: analysis and proposal ≤ 1 s each)")
    for leader, chain in region.chains.items():
        t_analysis, _ = timed(partial(analyse_chain, region, chain, needs=shown))
        t_proposal, proposal = timed(partial(
            propose_chain, region, chain, needs=shown, solutions=solutions, scores=score,
            budget_wan=150, discount=0.1))
        totals = proposal.totals  # type: ignore[attr-defined]
        print(f"  {region.enterprises[leader].name}: {len(chain.members)} members; "
              f"analysis {t_analysis * 1000:.0f} ms, proposal {t_proposal * 1000:.0f} ms; "
              f"coverage {totals['coverage_share']:.0%}, {totals['members_reached']:g} reached, "
              f"cost {totals['group_total_wan']:.1f} 万")


def generated_links(chains: int, members: int, deeper: int, pool: list[str], seed: int) -> list[LinkRecord]:
    """`chains` chains of `members` tier-1 members plus `deeper` tier-2/3 ones each.

    Members come mostly from a window of the pool around the chain (neighbouring chains
    overlap, as suppliers serve several leaders) and partly from anywhere.
    """
    rng = random.Random(seed)
    leaders, rest = pool[:chains], pool[chains:]
    links = []
    window = (members + deeper) * 2
    for c, leader in enumerate(leaders):
        start = (c * len(rest)) // chains
        local = [rest[(start + i) % len(rest)] for i in range(window)]
        picked: list[str] = []
        seen: set[str] = set()
        while len(picked) < members + deeper:
            cand = rng.choice(local) if rng.random() < 0.8 else rng.choice(rest)
            if cand not in seen:
                seen.add(cand)
                picked.append(cand)
        tier1, lower = picked[:members], picked[members:]
        for m in tier1:
            rel = rng.choices(["供应商", "客户", "外协"], weights=[6, 3, 1])[0]
            share = round(rng.uniform(0.05, 0.7), 2) if rel == "供应商" else None
            links.append(LinkRecord(leader, m, rel, None, share))
        uppers = list(tier1)
        for m in lower:
            via = rng.choice(uppers)
            links.append(LinkRecord(leader, m, "供应商", via, round(rng.uniform(0.05, 0.8), 2)))
            if rng.random() < 0.2:
                uppers.append(m)  # some go a tier deeper
    return links


def region_bench(chains: int) -> None:
    ents, needs = synthetic_cohort(10_000 * chains // 50, needs_each=3)
    pool = [e.id for e in ents]
    links = generated_links(chains, members=200, deeper=600, pool=pool, seed=5)
    solutions = load_catalogue(DEV / "catalog.json").solutions
    print(f"== generated region: {chains} chains, {len(ents):,} enterprises, {len(links):,} links, "
          f"{len(needs):,} needs")
    t_build, region = timed(lambda: build_region(enterprises=ents, links=links))
    print(f"  build graph: {t_build:.2f} s")
    assert isinstance(region, Region)
    shown = visible_needs(needs=needs, consent={}, viewer_id=None, viewer_is_bureau=True)
    chain = max(region.chains.values(), key=lambda c: (len(c.members), c.leader_id))
    members_needs = sum(len(shown.get(m, ())) for m in chain.members)

    def all_analyses() -> object:
        return analyse_chain(region, chain, needs=shown), graph_json(region, chain)

    t_one, _ = timed(all_analyses)
    print(f"  all analyses of one chain ({len(chain.members)} members, {members_needs} needs): "
          f"{t_one:.2f} s (target ≤ 2 s)")
    score = scenario_scorer([n for m in chain.members for n in shown.get(m, ())])
    t_prop, proposal = timed(lambda: propose_chain(region, chain, needs=shown, solutions=solutions,
                                                   scores=score, budget_wan=800, discount=0.15))
    totals = proposal.totals  # type: ignore[attr-defined]
    print(f"  proposal for that chain (budget 800 万): {t_prop:.2f} s; coverage "
          f"{totals['coverage_share']:.0%}, {totals['members_reached']:g} reached")
    t_overview, _ = timed(lambda: region_overview(region))
    print(f"  region overview: {t_overview:.2f} s (target ≤ 10 s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory (ru_maxrss): {peak:.0f} MB (target ≤ 1024 MB)")


def exact(problem: CoverageProblem, seconds: float = 20.0) -> tuple[float, bool]:
    """The optimum of a coverage problem with CP-SAT (values and prices scaled to integers)."""
    model = cp_model.CpModel()
    pairs = sorted(problem.covers)
    x = {p: model.new_bool_var(f"x{i}") for i, p in enumerate(pairs)}
    objective = []
    for item, weight in problem.weights.items():
        ys = []
        for p in pairs:
            degree = problem.covers[p].get(item)
            if degree:
                y = model.new_bool_var("")
                model.add_implication(y, x[p])
                ys.append(y)
                objective.append(round(weight * degree * 1000) * y)
        if ys:
            model.add(sum(ys) <= 1)
    cost = []
    for offering in sorted({p[0] for p in pairs}):
        mine = [x[p] for p in pairs if p[0] == offering]
        count = sum(mine)
        price = round(problem.price[offering] * 1000)
        cost.append(price * count)
        if problem.discount > 0:
            on = model.new_bool_var("")
            model.add(count >= problem.group_min).only_enforce_if(on)
            units = model.new_int_var(0, len(mine), "")
            model.add(units <= count)
            model.add(units <= len(mine) * on)
            cost.append(-round(problem.price[offering] * problem.discount * 1000) * units)
    model.add(sum(cost) <= int(problem.budget * 1000))
    model.maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    chosen = [p for p in pairs if solver.value(x[p])]
    assert selection_cost(problem, chosen) <= problem.budget + 1e-6
    return coverage_value(problem, chosen), status == cp_model.OPTIMAL


def optimality(instances: int = 30) -> None:
    enterprises, needs = load_enterprises(DEV / "enterprises.json")
    solutions = load_catalogue(DEV / "catalog.json").solutions
    score = scenario_scorer(needs)
    rng = random.Random(42)
    ids = [e.id for e in enterprises]
    ratios, times, proven = [], [], 0
    for _ in range(instances):
        size = rng.randint(6, 15)
        picked = rng.sample(ids, size + 1)
        links = [LinkRecord(picked[0], m, rng.choice(["供应商", "客户"]), None,
                            round(rng.uniform(0.1, 0.6), 2)) for m in picked[1:]]
        region = build_region(enterprises=enterprises, links=links)
        chain = region.chains[picked[0]]
        shown = visible_needs(needs=needs, consent={}, viewer_id=None, viewer_is_bureau=True)
        problem = build_problem(
            region, chain, needs=shown, solutions=solutions, scores=score, criticality={},
            budget_wan=rng.choice([10, 20, 40, 80]), discount=rng.choice([0.0, 0.1, 0.2]),
            group_min=3, cover_at=0.5, connect_weight=2.0, per_member=6,
        )
        t, found = timed(partial(solve_coverage, problem))
        best, is_optimal = exact(problem)
        proven += is_optimal
        ratios.append(found.value / best if best else 1.0)  # type: ignore[attr-defined]
        times.append(t)
    print(f"== proposal coverage vs CP-SAT optimum on {instances} small chains (6–15 members, "
          f"up to 6 candidate offerings each; target within 5%)")
    print(f"  ratio min {min(ratios):.4f}, mean {sum(ratios) / len(ratios):.4f}; "
          f"optimal in {sum(r >= 0.9999 for r in ratios)}/{instances}; CP-SAT proven optimal "
          f"{proven}/{instances}; heuristic time max {max(times) * 1000:.0f} ms")


def main() -> None:
    quick = "--quick" in sys.argv
    dev_chains()
    optimality(15 if quick else 30)
    region_bench(10 if quick else 50)


if __name__ == "__main__":
    main()
