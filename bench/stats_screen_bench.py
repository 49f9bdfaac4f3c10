"""How soon the stats screen shows numbers, against the full report's compute time in the same run.

The demo database with the two sample reviewers is built in a temporary directory; the
app is driven through Pilot. For each run, 's' is pressed and three moments are timed:
the screen on display, the first numbers (point estimates), and the final intervals.
The reference is ``build_report`` with 1,000 resamples called directly (what the screen
waited for before it showed anything).

    python bench/stats_screen_bench.py             # readable table
    python bench/stats_screen_bench.py --json      # the same figures as JSON
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

from mtbench_tui.core import loading  # noqa: E402
from mtbench_tui.core.importer import import_sources  # noqa: E402
from mtbench_tui.core.paths import demo_data_dir  # noqa: E402
from mtbench_tui.core.store import QueueFilter, Store  # noqa: E402
from mtbench_tui.ui.app import make_app  # noqa: E402

RATINGS = ROOT / "data" / "demo-ratings" / "human_ratings.jsonl"


def demo_database(path: Path) -> Store:
    """The demo data and its two reviewers."""
    store = Store.open(path)
    import_sources(store, loading.discover(demo_data_dir()))
    import_sources(store, loading.DataSources(judgments=[RATINGS]))
    return store


async def one_open(store: Store) -> dict[str, float]:
    """Seconds from pressing 's' to the screen, to the first numbers, to the final intervals."""
    app = make_app(store, reviewer="bench", queue_filter=QueueFilter())
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        # Pilot's press waits for the app to go idle; run it beside the clock instead.
        press = asyncio.create_task(pilot.press("s"))
        shown = first = None
        while True:
            screen = app.screen
            computed = getattr(screen, "computed", None)
            now = time.perf_counter() - start
            if shown is None and screen.__class__.__name__ == "StatsScreen":
                shown = now
            if first is None and computed is not None:
                first = now
            if computed is not None and computed.final:
                await press
                return {"screen": shown or now, "first_numbers": first, "final": now}
            await asyncio.sleep(0.005)


def reference(store: Store) -> float:
    """Seconds for the full report with 1,000 resamples, computed directly."""
    from mtbench_tui.core.analysis.report import build_report

    start = time.perf_counter()
    build_report(store)
    return time.perf_counter() - start


def main() -> None:
    """Run and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--repeat", type=int, default=3, help="opens to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = demo_database(Path(tmp) / "demo.db")
        runs = [asyncio.run(one_open(store)) for _ in range(args.repeat)]
        ref = statistics.median(reference(store) for _ in range(args.repeat))
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    out = {
        "runs": args.repeat,
        "screen_s": round(med["screen"], 3),
        "first_numbers_s": round(med["first_numbers"], 3),
        "final_s": round(med["final"], 3),
        "full_report_s": round(ref, 3),
        "first_numbers_over_full_report": round(med["first_numbers"] / ref, 3),
        "cold_first_numbers_s": round(runs[0]["first_numbers"], 3),
    }
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"stats screen on the demo (median of {args.repeat} opens, 120x35)")
    print(f"  screen shown            {out['screen_s']:7.3f} s")
    print(f"  first numbers           {out['first_numbers_s']:7.3f} s")
    print(
        f"  first numbers, 1st open {out['cold_first_numbers_s']:7.3f} s  (modules not yet loaded)"
    )
    print(f"  final intervals + audit {out['final_s']:7.3f} s")
    print(f"  reference: build_report {out['full_report_s']:7.3f} s")
    print(f"  first numbers / reference = {out['first_numbers_over_full_report']:.2f}")


if __name__ == "__main__":
    main()
