"""Pair review at 1.2k and at 1M comparisons: queue operations, per-key latency, and ratios.

Every two answers to a question make a comparison, so Q questions with M models give
Q x M(M-1)/2 comparisons; the large database holds 1,035,000 (1,000 questions, 46 models).
A judge has pairwise-baseline verdicts (every model against model-00, both turns, all
verdict kinds), and the reviewer has voted on some comparisons.

The reference, measured in the same run on the same database, is what a queue that loads
everything would pay once: one SELECT of every comparison key.

    python bench/pair_bench.py              # readable table
    python bench/pair_bench.py --json       # the same figures as JSON
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtbench_tui.core.pair_review import PairSettings  # noqa: E402
from mtbench_tui.core.store import Store  # noqa: E402
from mtbench_tui.core.store.pair_filter import FROM_ANSWER_PAIRS, PairFilter  # noqa: E402
from mtbench_tui.core.store.pair_queue import open_pair_queue  # noqa: E402
from mtbench_tui.ui.app import make_app  # noqa: E402

REVIEWER = "bench"
KEYS = ("x", "right", "left", "a", "tab", "b", "enter", "u")
"""'x' is bound to nothing: its time is Pilot's own round trip, the floor under every other key."""

FILTERS = {
    "all": PairFilter(),
    "category": PairFilter(category="math"),
    "model": PairFilter(model="model-07"),
    "unvoted": PairFilter(progress="unvoted"),
    "verdict": PairFilter(verdict="decisive"),
    "inconsistent": PairFilter(inconsistent=True),
    "unjudged": PairFilter(verdict="unjudged"),
    "differs": PairFilter(differs=True),
    "by disagreement": PairFilter(by_disagreement=True),
}


def build_database(path: Path, questions: int, models: int) -> float:
    """Create the database directly in SQL; returns seconds taken."""
    start = time.perf_counter()
    store = Store.open(path, durable=False)
    db = store.db
    with db.atomic():
        db.execute(
            "WITH RECURSIVE q(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM q WHERE i < ?)"
            " INSERT INTO questions (question_id, category, turn_1, turn_2, content_hash)"
            " SELECT i, (CASE i % 4 WHEN 0 THEN 'writing' WHEN 1 THEN 'math' WHEN 2 THEN 'coding'"
            " ELSE 'stem' END),"
            " 'Question ' || i || ' one?', 'Question ' || i || ' two?', 'h' FROM q",
            [questions],
        )
        db.execute(
            "WITH RECURSIVE m(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM m WHERE j < ? - 1)"
            " INSERT INTO answers (question_id, model, turn_1, turn_2, length_1, length_2,"
            " content_hash) SELECT q.question_id, printf('model-%02d', m.j), 'Answer ' || m.j,"
            " 'Second ' || m.j, 8, 8, 'h' FROM m CROSS JOIN questions q",
            [models],
        )
        db.execute(
            "WITH v AS MATERIALIZED (SELECT a.question_id, a.model, t.turn,"
            " (CASE abs(random()) % 4 WHEN 0 THEN 'model_1' WHEN 1 THEN 'model_2'"
            " WHEN 2 THEN 'tie' ELSE 'model_1' END) AS g1,"
            " (CASE abs(random()) % 5 WHEN 0 THEN 'model_2' WHEN 4 THEN 'error'"
            " ELSE 'model_1' END) AS g2"
            " FROM answers a CROSS JOIN (SELECT 1 AS turn UNION ALL SELECT 2) t"
            " WHERE a.model <> 'model-00')"
            " INSERT INTO pair_judgments (question_id, model_1, model_2, turn, judge, judge_model,"
            " prompt, winner, g1_winner, g2_winner, g1_judgment, g2_judgment, content_hash)"
            " SELECT question_id, model, 'model-00', turn, 'gpt-4', 'gpt-4', 'pair-v2',"
            " CASE WHEN g1 = 'error' OR g2 = 'error' THEN 'error' WHEN g1 = 'tie' OR g2 = 'tie'"
            " THEN 'tie' WHEN g1 = g2 THEN g1 ELSE 'inconsistent' END, g1, g2, 'Order one.',"
            " 'Order two.', 'h' FROM v"
        )
        db.execute("INSERT INTO reviewers (name, created) VALUES (?, 'now')", [REVIEWER])
        db.execute(
            "INSERT INTO pair_votes (question_id, model_1, model_2, turn, reviewer, shown_a,"
            " winner, created, updated) SELECT question_id, 'model-00', model_1, turn, ?,"
            " model_1, CASE abs(random()) % 3 WHEN 0 THEN 'model_1' WHEN 1 THEN 'model_2'"
            " ELSE 'tie' END, 'now', 'now' FROM pair_judgments WHERE question_id % 10 = 3",
            [REVIEWER],
        )
    store.close()
    return time.perf_counter() - start


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Median milliseconds of ``fn``."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times) * 1000, 2)


def measure_queue(path: Path) -> dict[str, object]:
    """Open each filter's queue (it counts) and step through it, timing each operation."""
    store = Store.open(path)
    db = store.db
    reference = timed(
        lambda: db.execute(
            f"SELECT a1.question_id, a1.model, a2.model FROM {FROM_ANSWER_PAIRS}"
        ).fetchall()
    )
    total = db.execute(f"SELECT COUNT(*) FROM {FROM_ANSWER_PAIRS}").fetchone()[0]
    out: dict[str, object] = {"comparisons": total, "reference_load_all_ms": reference}
    mid_question = db.execute("SELECT MAX(question_id) / 2 + 1 FROM questions").fetchone()[0]
    for name, f in FILTERS.items():
        t0 = time.perf_counter()
        queue = open_pair_queue(db, f, REVIEWER, "gpt-4")
        count = queue.count()
        opened = round((time.perf_counter() - t0) * 1000, 2)
        entry = queue.first()
        steps = []
        for _ in range(50):
            if entry is None:
                break
            t1 = time.perf_counter()
            entry = queue.after(entry)
            steps.append(time.perf_counter() - t1)
        middle = queue.find(mid_question)  # a jump half way: the position is counted
        locate = timed(lambda q=queue, e=middle: q.locate(e.item) if e else None, 5)
        needing = timed(lambda q=queue, e=middle: q.next_needing_vote(e), 5)
        out[name] = {
            "count": count,
            "open_and_count_ms": opened,
            "step_median_ms": round(statistics.median(steps) * 1000, 3) if steps else None,
            "locate_ms": locate,
            "next_needing_vote_ms": needing,
        }
        queue.close()
    store.close()
    return out


async def measure_keys(path: Path, repeat: int) -> dict[str, object]:
    """Start the app in pair mode and time each key ``repeat`` times."""
    store = Store.open(path)
    start = time.perf_counter()
    app = make_app(store, reviewer=REVIEWER, mode="pair", pair=PairSettings())
    timings: dict[str, list[float]] = {k: [] for k in KEYS}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        startup = time.perf_counter() - start
        for _ in range(repeat):
            for key in KEYS:
                t0 = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                timings[key].append(time.perf_counter() - t0)
    store.close()
    keys = {k: round(statistics.median(v) * 1000, 2) for k, v in timings.items()}
    all_times = [t for v in timings.values() for t in v]
    return {
        "startup_s": round(startup, 3),
        "keys_median_ms": keys,
        "median_ms": round(statistics.median(all_times) * 1000, 2),
    }


def main() -> None:
    """Build both databases, measure both, print the table (or JSON)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    sizes = {"small": (80, 6), "large": (1000, 46)}
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, (questions, models) in sizes.items():
            path = Path(tmp) / f"{label}.db"
            build_s = build_database(path, questions, models)
            result = measure_queue(path)
            result["ui"] = asyncio.run(measure_keys(path, args.repeat))
            result["build_s"] = round(build_s, 1)
            results[label] = result
    small, large = results["small"], results["large"]
    ratio = large["ui"]["median_ms"] / small["ui"]["median_ms"]  # type: ignore[index]
    if args.json:
        print(
            json.dumps(
                {
                    "benchmark": "pair",
                    "results": results,
                    "ui_ratio_large_over_small": round(ratio, 3),
                },
                indent=2,
            )
        )
        return
    print_table(small, large, ratio)


def print_table(small: dict, large: dict, ratio: float) -> None:  # type: ignore[type-arg]
    """The readable report."""
    print(f"comparisons: {small['comparisons']:,} (small) and {large['comparisons']:,} (large)")
    print(
        f"reference, one SELECT of every comparison key: {small['reference_load_all_ms']:.1f} ms"
        f" and {large['reference_load_all_ms']:.1f} ms\n"
    )
    print(
        f"{'filter':<17}{'count (large)':>14}{'open ms':>16}{'step ms':>16}{'locate ms':>16}"
        f"{'next unvoted ms':>18}"
    )
    print(
        f"{'':<31}{'small / large':>16}{'small / large':>16}{'small / large':>16}"
        f"{'small / large':>18}"
    )
    for name in FILTERS:
        s, l_ = small[name], large[name]

        def pair(key: str, s: dict = s, l_: dict = l_) -> str:  # type: ignore[type-arg]
            return f"{_fmt(s[key])} / {_fmt(l_[key])}"

        print(
            f"{name:<17}{l_['count']:>14,}{pair('open_and_count_ms'):>16}{pair('step_median_ms'):>16}"
            f"{pair('locate_ms'):>16}{pair('next_needing_vote_ms'):>18}"
        )
    print(f"\n{'key':<8}{'small ms':>10}{'large ms':>10}{'ratio':>8}")
    for key in KEYS:
        a, b = small["ui"]["keys_median_ms"][key], large["ui"]["keys_median_ms"][key]
        print(f"{key:<8}{a:>10.1f}{b:>10.1f}{b / a:>8.2f}")
    print(
        f"{'all':<8}{small['ui']['median_ms']:>10.1f}{large['ui']['median_ms']:>10.1f}{ratio:>8.2f}"
    )
    print(
        f"\nstartup: {small['ui']['startup_s']:.2f} s (small),"
        f" {large['ui']['startup_s']:.2f} s (large)."
        " ratio = median key latency at 1M ÷ at 1.2k, same run. 'x' is unbound: Pilot's round trip."
    )


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


if __name__ == "__main__":
    main()
