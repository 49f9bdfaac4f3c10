"""Per-keystroke latency of the review app through Pilot, at 1k and at 1M items, and their ratio.

Each database holds N conversations (question x model), each with two judged turns,
so the 1M-item database holds 2M judgments. Keys are pressed the way a reviewer
presses them, and each is timed until the app is idle again.

    python bench/ui_bench.py              # readable table
    python bench/ui_bench.py --json       # the same figures as JSON
    python bench/ui_bench.py --large 200000 --repeat 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtbench_tui.core.store import QueueFilter, Store  # noqa: E402
from mtbench_tui.ui.app import make_app  # noqa: E402

QUESTIONS = 80
KEYS = ("x", "right", "left", "7", "tab", "8", "enter", "u")
"""'x' is bound to nothing: its time is Pilot's own round trip, the floor under every other key."""


def build_database(path: Path, items: int) -> float:
    """Create a database of ``items`` conversations directly in SQL (fast); return seconds taken."""
    start = time.perf_counter()
    store = Store.open(path, durable=False)
    models = max(1, items // QUESTIONS)
    db = store.db
    with db.atomic():
        db.execute(
            "WITH RECURSIVE q(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM q WHERE i < ?)"
            " INSERT INTO questions (question_id, category, turn_1, turn_2, content_hash)"
            " SELECT i, (CASE i % 8 WHEN 0 THEN 'writing' WHEN 1 THEN 'roleplay'"
            " WHEN 2 THEN 'extraction' WHEN 3 THEN 'reasoning' WHEN 4 THEN 'math'"
            " WHEN 5 THEN 'coding' WHEN 6 THEN 'stem' ELSE 'humanities' END),"
            " 'Question ' || i || ' turn one?', 'Question ' || i || ' turn two?', 'h' FROM q",
            [QUESTIONS],
        )
        db.execute(
            "WITH RECURSIVE m(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM m WHERE j < ? - 1)"
            " INSERT INTO answers"
            " (question_id, model, turn_1, turn_2, length_1, length_2, content_hash)"
            " SELECT q.question_id, printf('model-%06d', m.j),"
            " '**Answer** ' || m.j || ' to ' || q.question_id,"
            " 'Second answer ' || m.j, 30, 20, 'h' FROM m CROSS JOIN questions q",
            [models],
        )
        db.execute(
            "INSERT INTO judgments (question_id, model, turn, judge, judge_model, prompt, score,"
            " judgment, user_prompt, content_hash)"
            " SELECT a.question_id, a.model, t.turn, 'gpt-4', 'gpt-4',"
            " CASE t.turn WHEN 1 THEN 'single-v1' ELSE 'single-v1-multi-turn' END,"
            " 1 + (abs(random()) % 10), 'Reasonable answer. Rating: [[5]]', '', 'h'"
            " FROM answers a CROSS JOIN (SELECT 1 AS turn UNION ALL SELECT 2) t"
        )
    db.execute("ANALYZE")
    store.close()
    return time.perf_counter() - start


async def measure(path: Path, repeat: int) -> dict[str, object]:
    """Start the app and time each key ``repeat`` times."""
    store = Store.open(path)
    start = time.perf_counter()
    app = make_app(store, reviewer="bench", queue_filter=QueueFilter())
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
    keys = {
        k: {
            "median_ms": round(statistics.median(v) * 1000, 2),
            "p95_ms": round(sorted(v)[int(0.95 * (len(v) - 1))] * 1000, 2),
        }
        for k, v in timings.items()
    }
    all_times = [t for v in timings.values() for t in v]
    return {
        "startup_s": round(startup, 3),
        "keys": keys,
        "median_ms": round(statistics.median(all_times) * 1000, 2),
    }


def main() -> None:
    """Build both databases, measure both, print the table (or JSON)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, items in (("small", args.small), ("large", args.large)):
            path = Path(tmp) / f"{label}.db"
            build_s = build_database(path, items)
            result = asyncio.run(measure(path, args.repeat))
            result.update(items=items, judgments=2 * items, build_s=round(build_s, 1))
            results[label] = result
    ratio = results["large"]["median_ms"] / results["small"]["median_ms"]
    if args.json:
        print(
            json.dumps(
                {"benchmark": "ui", "results": results, "ratio_large_over_small": round(ratio, 3)},
                indent=2,
            )
        )
        return
    small, large = results["small"], results["large"]
    print(
        f"{'key':<8}{small['items']:>12,} items: median / p95 ms"
        f"{large['items']:>14,} items: median / p95 ms{'ratio':>8}"
    )
    for key in KEYS:
        s, l_ = small["keys"][key], large["keys"][key]
        print(
            f"{key:<8}{s['median_ms']:>26.1f} / {s['p95_ms']:<6.1f}"
            f"{l_['median_ms']:>26.1f} / {l_['p95_ms']:<6.1f}"
            f"{l_['median_ms'] / s['median_ms']:>8.2f}"
        )
    print(
        f"{'all':<8}{small['median_ms']:>26.1f}{'':>9}{large['median_ms']:>26.1f}{'':>9}{ratio:>8.2f}"
    )
    print(
        f"\nstartup: {small['startup_s']:.2f} s at {small['items']:,} items,"
        f" {large['startup_s']:.2f} s at "
        f"{large['items']:,} items ({large['judgments']:,} judgments)"
    )
    print("ratio = median latency at the large size ÷ at the small size, measured in the same run.")
    print("'x' is an unbound key: its time is Pilot's own round trip, included in every other row.")


if __name__ == "__main__":
    main()
