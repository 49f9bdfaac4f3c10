"""Statistics speed on 100k paired ratings: every metric, and 1,000 cluster-bootstrap resamples.

References in the same run: Krippendorff's alpha from the `krippendorff` package and
Cohen's kappa from scikit-learn, when installed, timed on the same data.

    python bench/stats_bench.py            # readable table
    python bench/stats_bench.py --json     # the same figures as JSON
    python bench/stats_bench.py --pairs 20000 --resamples 500
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mtbench_tui import stats  # noqa: E402
from mtbench_tui.core.stats import grouped, paired  # noqa: E402


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best of ``repeat`` wall-clock runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def make_data(n: int, questions: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Human scores, judge scores (some half points) and the question of each pair."""
    rng = np.random.default_rng(seed)
    q = rng.integers(0, questions, n)
    effect = rng.normal(0, 1.5, questions)
    human = np.clip(np.round(6 + effect[q] + rng.normal(0, 1.2, n)), 1, 10)
    judge = np.clip(np.round((6.5 + effect[q] + rng.normal(0, 1.0, n)) * 2) / 2, 1, 10)
    return human, judge, q


def main() -> None:
    """Time everything and print the table (or JSON)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=1_000)
    parser.add_argument("--resamples", type=int, default=1_000)
    args = parser.parse_args()
    human, judge, q = make_data(args.pairs, args.questions)
    rounded = np.floor(judge + 0.5)
    labels = range(1, 11)
    both = np.vstack([human, judge])
    counts = np.zeros((args.pairs, 10))
    counts[np.arange(args.pairs), human.astype(int) - 1] += 1
    counts[np.arange(args.pairs), rounded.astype(int) - 1] += 1
    data = paired.PairedData.of(human, judge, q)
    rows: list[dict[str, object]] = []

    def add(
        name: str,
        fn: Callable[[], object],
        reference: str | None = None,
        reference_fn: Callable[[], object] | None = None,
    ) -> None:
        seconds = timed(fn)
        row: dict[str, object] = {"metric": name, "seconds": round(seconds, 5)}
        if reference and reference_fn:
            ref = timed(reference_fn)
            row.update(
                reference=reference, reference_seconds=round(ref, 5), ratio=round(seconds / ref, 3)
            )
        rows.append(row)

    sk = _optional("sklearn.metrics")
    kd = _optional("krippendorff")
    add("percent_agreement", lambda: stats.percent_agreement(human, judge, 1))
    add(
        "cohen_kappa quadratic",
        lambda: stats.cohen_kappa(human, rounded, "quadratic", labels),
        "sklearn cohen_kappa_score",
        sk and (lambda: sk.cohen_kappa_score(human, rounded, weights="quadratic")),
    )
    add("scotts_pi", lambda: stats.scotts_pi(human, rounded, labels))
    add("gwet_ac1", lambda: stats.gwet_ac1(human, rounded, labels))
    add("gwet_ac2 quadratic", lambda: stats.gwet_ac2(human, rounded, "quadratic", labels))
    add("fleiss_kappa (100k items)", lambda: stats.fleiss_kappa(counts))
    add(
        "krippendorff_alpha interval",
        lambda: stats.krippendorff_alpha(both, "interval"),
        "krippendorff.alpha",
        kd and (lambda: kd.alpha(reliability_data=both, level_of_measurement="interval")),
    )
    add(
        "krippendorff_alpha ordinal",
        lambda: stats.krippendorff_alpha(both, "ordinal"),
        "krippendorff.alpha",
        kd and (lambda: kd.alpha(reliability_data=both, level_of_measurement="ordinal")),
    )
    add("icc ICC2", lambda: stats.icc(np.column_stack([human, judge]), "ICC2"))
    add("spearman", lambda: stats.spearman(human, judge))
    add("kendall tau-b", lambda: stats.kendall(human, judge))
    add("pearson", lambda: stats.pearson(human, judge))
    add("bland_altman", lambda: stats.bland_altman(judge, human))
    add(
        "all 20 metrics from the joint table",
        lambda: grouped.agreement(data, n_resamples=0),
        "krippendorff.alpha interval alone",
        kd and (lambda: kd.alpha(reliability_data=both, level_of_measurement="interval")),
    )
    add(
        f"all 20 metrics + {args.resamples} cluster-bootstrap resamples",
        lambda: grouped.agreement(data, n_resamples=args.resamples),
        "krippendorff.alpha interval alone",
        kd and (lambda: kd.alpha(reliability_data=both, level_of_measurement="interval")),
    )
    add(
        f"bootstrap_ci(mean), {args.resamples} cluster resamples",
        lambda: stats.bootstrap_ci(np.mean, judge - human, clusters=q, n_resamples=args.resamples),
    )
    if args.json:
        print(
            json.dumps(
                {
                    "benchmark": "stats",
                    "pairs": args.pairs,
                    "questions": args.questions,
                    "resamples": args.resamples,
                    "results": rows,
                },
                indent=2,
            )
        )
        return
    print(f"{args.pairs:,} paired ratings, {args.questions:,} question clusters\n")
    print(f"{'metric':<52}{'seconds':>10}  {'reference':<34}{'ref s':>9}{'ratio':>8}")
    for r in rows:
        ref = (
            f"{r.get('reference', ''):<34}{r['reference_seconds']:>9.4f}{r['ratio']:>8.2f}"
            if "ratio" in r
            else ""
        )
        print(f"{r['metric']:<52}{r['seconds']:>10.4f}  {ref}")
    print(
        "\nratio = our seconds ÷ the reference's seconds on the same data in the same run"
        " (below 1 is faster)."
    )


def _optional(module: str) -> object | None:
    """Import a module if installed."""
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        print(f"note: {module} not installed; its reference row is skipped", file=sys.stderr)
        return None


if __name__ == "__main__":
    main()
