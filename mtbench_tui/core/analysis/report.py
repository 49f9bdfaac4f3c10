"""The full statistics report as one JSON-ready dict: what `stats --json`, the exports and the app all show."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mtbench_tui import __version__
from mtbench_tui.core.analysis import bias
from mtbench_tui.core.analysis.agreement import (
    BREAKDOWNS,
    Settings,
    human_human_block,
    judge_human_block,
    pairwise_block,
)
from mtbench_tui.core.analysis.frames import HumanPairs, RatingPairs
from mtbench_tui.core.clock import report_time
from mtbench_tui.core.store import Store

SCHEMA = "mtbench-review/stats/1"


def build_report(
    store: Store,
    judge: str | None = None,
    reviewer: str | None = None,
    by: tuple[str, ...] = BREAKDOWNS,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Compute every section of the statistics report.

    Args:
        store: the database.
        judge: only this judge (default: every judge with verdicts).
        reviewer: also report this reviewer on their own (the pooled "all" row is always there).
        by: breakdowns to compute, any of turn, category, model.
        settings: bootstrap settings.

    Returns:
        The report dict (schema ``mtbench-review/stats/1``, documented in the README).
    """
    s = settings or Settings()
    judges = [judge] if judge else [j for j, _n in store.content.judges()]
    reviewers = store.analysis.rating_counts()
    pairs_by_judge = {j: RatingPairs.load(store, j) for j in judges}
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "tool_version": __version__,
        "generated": report_time(),
        "database": Path(str(store.path)).name if store.path else None,
        "settings": {
            "bootstrap_resamples": s.n_resamples,
            "confidence": s.confidence,
            "seed": s.seed,
            "cluster": "question_id",
            "by": list(by),
            "judge": judge,
            "reviewer": reviewer,
        },
        "counts": {
            **store.content.counts(),
            "ratings": sum(reviewers.values()),
            "ratings_by_reviewer": reviewers,
        },
        "judges": judges,
        "reviewers": list(reviewers),
        "judge_human": [],
        "human_human": None,
        "pairwise": [],
        "bias": [],
        "no_verdict": bias.no_verdicts(store),
    }
    for j, pairs in pairs_by_judge.items():
        rows = [judge_human_block(pairs, "all", s, by)]
        for name in [reviewer] if reviewer else (list(reviewers) if len(reviewers) > 1 else []):
            own = pairs.select(pairs.reviewer == name)
            rows.append(judge_human_block(own, name, s, by))
        report["judge_human"].append({"judge": j, "judge_model": pairs.judge_model, "rows": rows})
        report["pairwise"].append({"judge": j, **pairwise_block(pairs, s)})
        report["bias"].append({"judge": j, "items": bias.audit(store, j, pairs, s)})
    report["human_human"] = human_human_block(HumanPairs.load(store), pairs_by_judge, s)
    return report


def headline(
    report: dict[str, Any], judge: str, metric: str, reviewer: str = "all"
) -> float | None:
    """One metric's point value from the report, for gates and summaries."""
    for block in report["judge_human"]:
        if block["judge"] != judge:
            continue
        for row in block["rows"]:
            if row["reviewer"] == reviewer:
                value = row["metrics"].get(metric)
                return value if isinstance(value, int) else (value or {}).get("value")
    return None
