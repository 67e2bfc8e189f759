"""Matcher benchmark: quality on the dev set, scenario inference, and speed/memory at 3 sizes.

    .venv/bin/python bench/match.py            # everything (about 3 minutes on 2 cores)
    .venv/bin/python bench/match.py --quick    # smaller sizes

Each size runs in a fresh process so its peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SIZES = [(2_000, 500), (5_000, 1_250), (20_000, 5_000)]
QUICK = [(1_000, 250), (2_000, 500), (5_000, 1_250)]


def one_size(catalogue: int, cohort: int) -> dict[str, float]:
    from match_synthetic import synthetic_catalogue, synthetic_cohort

    from matching.bundle import propose_bundle
    from matching.cohort import match_cohort
    from matching.scoring import MatchContext, rank

    started = time.perf_counter()
    cat = synthetic_catalogue(catalogue)
    ents, needs = synthetic_cohort(cohort)
    ctx = MatchContext(cat.solutions, cat.providers)
    build = time.perf_counter() - started
    gc.freeze()  # as a served worker does once it has built the context (market.heap.keep)
    by_ent: dict[str, list] = {}
    for need in needs:
        by_ent.setdefault(need.enterprise_id, []).append(need)
    build_cpu = time.process_time()

    def one(ent) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        t0, c0 = time.perf_counter(), time.process_time()
        shortlists = {n.id: rank(n, ent, ctx) for n in by_ent[ent.id]}
        propose_bundle(enterprise=ent, needs=by_ent[ent.id], ctx=ctx, shortlists=shortlists)
        return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000

    # The first enterprises after a build also fill the context's per-value arrays (per
    # industry, region, policy, term): measured apart, on enterprises not measured below.
    first = sorted(one(ent)[0] for ent in ents[-20:])

    def typed_now(ent) -> float:  # type: ignore[no-untyped-def]
        ctx.index.forget()  # none of its needs read before it asks
        return one(ent)[0]

    fresh = sorted(typed_now(ent) for ent in ents[:200])
    # The app reads a need when it is saved (market.matching.read_ahead): an enterprise
    # opening its recommendations finds its needs read.
    ctx.read_ahead([need.text for ent in ents[:200] for need in by_ent[ent.id]])
    measured = [one(ent) for ent in ents[:200]]
    times, cpu_times = sorted(m[0] for m in measured), sorted(m[1] for m in measured)
    t0, c0 = time.perf_counter(), time.process_time()
    result = match_cohort(enterprises=ents, needs=needs, ctx=ctx)
    cohort_s, cohort_cpu = time.perf_counter() - t0, time.process_time() - c0
    over = sum(1 for p, e in result.allocation.provider_enterprises.items()
               if len(e) > ctx.providers[p].capacity)
    return {
        "catalogue": catalogue, "enterprises": cohort, "needs": len(needs),
        "build_s": round(build, 2), "build_cpu_s": round(build_cpu, 2),
        "one_cpu_p95_ms": round(cpu_times[int(0.95 * (len(cpu_times) - 1))], 1),
        "cohort_cpu_s": round(cohort_cpu, 1),
        "load": round(os.getloadavg()[0], 1),
        "one_p50_ms": round(times[len(times) // 2], 1),
        "one_p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "first_p50_ms": round(first[len(first) // 2], 1), "first_max_ms": round(first[-1], 1),
        "fresh_p50_ms": round(fresh[len(fresh) // 2], 1),
        "fresh_p95_ms": round(fresh[int(0.95 * (len(fresh) - 1))], 1),
        "cohort_s": round(cohort_s, 1),
        "assigned": sum(1 for o in result.allocation.assigned.values() if o),
        "over_capacity": over,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
    }


def quality() -> None:
    from matching.evaluate import evaluate_queries, load_queries, summarize
    from matching.records import load_catalogue
    from matching.scoring import MatchContext

    shared = ROOT.parent / "shared" / "data"
    cat = load_catalogue(shared / "dev" / "catalog.json")
    ctx = MatchContext(cat.solutions, cat.providers)
    summary = summarize(evaluate_queries(ctx, load_queries(shared / "judged" / "queries.json")))
    print("dev set quality (market eval match):")
    print(f"  overall  ndcg@10 {summary['overall']['ndcg@10']:.4f}  "
          f"recall@10 {summary['overall']['recall@10']:.4f}  mrr {summary['overall']['mrr']:.4f}")
    for style, block in summary["styles"].items():
        print(f"  {style:<12} ndcg@10 {block['ndcg@10']:.4f}  recall@10 {block['recall@10']:.4f}"
              f"  mrr {block['mrr']:.4f}")
    print(f"scenario inference on blank dev needs: {scenario_accuracy(shared):.1%}")


def scenario_accuracy(shared: Path) -> float:
    from catalog.language.lexicon import infer_scenarios

    raw = json.loads((shared / "dev" / "enterprises.json").read_text("utf-8"))
    truth = json.loads((shared / "judged" / "need_scenarios.json").read_text("utf-8"))
    true_of = {(t["enterprise_uscc"], t["code"]): t for t in truth}
    hits = total = 0
    for need in raw["needs"]:
        t = true_of[(need["enterprise_uscc"], need["code"])]
        if t["blank_in_data"]:
            inferred = infer_scenarios(need["text"])
            total += 1
            hits += bool(inferred) and inferred[0][0] == t["scenario"]
    return hits / total if total else 0.0


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        print(json.dumps(one_size(int(sys.argv[2]), int(sys.argv[3]))))
        return
    quality()
    sizes = QUICK if "--quick" in sys.argv else SIZES
    print("\nWall-clock figures depend on what else runs; CPU seconds of this process are given")
    print("beside them (the matcher is single-threaded, so on an idle machine wall ≈ CPU).")
    print("One enterprise: its needs read when they were saved, as the app does; 'typed just now':")
    print("none of them read before it asks (every need's text read in the request).")
    print("\n| offerings | enterprises | needs | build s (CPU) | one enterprise p50/p95 ms "
          "(CPU p95) | typed just now p50/p95 ms | first 20 after a build p50/max ms "
          "| cohort + allocation s (CPU) | assigned | over capacity | peak MB | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for catalogue, cohort in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(catalogue), str(cohort)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {r['catalogue']} | {r['enterprises']} | {r['needs']} "
              f"| {r['build_s']} ({r['build_cpu_s']}) "
              f"| {r['one_p50_ms']} / {r['one_p95_ms']} ({r['one_cpu_p95_ms']}) "
              f"| {r['fresh_p50_ms']} / {r['fresh_p95_ms']} "
              f"| {r['first_p50_ms']} / {r['first_max_ms']} "
              f"| {r['cohort_s']} ({r['cohort_cpu_s']}) | {r['assigned']} "
              f"| {r['over_capacity']} | {r['peak_mb']:.0f} | {r['load']} |", flush=True)


if __name__ == "__main__":
    main()
