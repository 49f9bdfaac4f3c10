"""Judge throughput: 1,000 judgments against a loopback OpenAI-compatible server with latency.

The server runs in its own process (as a real endpoint would). Each concurrency level
judges the same 1,000 requests on a fresh database (nothing cached), and its wall time
is printed beside the ideal, n x latency / concurrency, with their ratio.

    python bench/judge_bench.py            # readable table
    python bench/judge_bench.py --json     # the same figures as JSON
    python bench/judge_bench.py --latency 0.05 --items 500
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import openai  # noqa: E402,F401 - a one-time import (~0.7 s) is start-up, not throughput: done before timing
from synthetic import write_dataset  # noqa: E402

from mtbench_tui.core import loading  # noqa: E402
from mtbench_tui.core.importer import import_sources  # noqa: E402
from mtbench_tui.core.judge.plan import PlanOptions, make_plan  # noqa: E402
from mtbench_tui.core.judge.pricing import PriceTable  # noqa: E402
from mtbench_tui.core.judge.processes import JudgeRun, warm_up  # noqa: E402
from mtbench_tui.core.judge.prompts import builtin_prompts  # noqa: E402
from mtbench_tui.core.judge.runtypes import RunConfig  # noqa: E402
from mtbench_tui.core.store import Store  # noqa: E402


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(latency: float) -> tuple[subprocess.Popen, str]:
    """The loopback server in its own process; returns it and its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mtbench_tui.testing.openai_server",
            "--port",
            str(port),
            "--latency",
            str(latency),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return proc, f"http://127.0.0.1:{port}/v1"


def run_level(template: Path, work: Path, base_url: str, concurrency: int) -> dict[str, object]:
    """Judge every item at one concurrency on a fresh copy of the database."""
    db = work / f"c{concurrency}.db"
    shutil.copy(template, db)
    store = Store.open(db)
    plan = make_plan(
        store, builtin_prompts(), PlanOptions(judge_model="bench-judge", endpoint=base_url)
    )
    config = RunConfig(
        judge_model="bench-judge", base_url=base_url, concurrency=concurrency, timeout=60
    )
    run = JudgeRun(db, config, None, PriceTable(), list(plan.items), list(plan.cached))
    start = time.perf_counter()
    result = asyncio.run(run.run(lambda event: None))
    wall = time.perf_counter() - start
    judged = store.db.execute(
        "SELECT COUNT(*) FROM judgments WHERE judge_model = 'bench-judge'"
    ).fetchone()[0]
    store.close()
    return {
        "concurrency": concurrency,
        "requests": len(plan.items),
        "judged": judged,
        "failed": result.totals.failed,
        "processes": run.processes,
        "wall_s": round(wall, 3),
    }


def main() -> None:
    """Build the dataset once, then time each concurrency level."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--items", type=int, default=1000, help="judgments per level (a multiple of 2)"
    )
    parser.add_argument(
        "--latency", type=float, default=0.1, help="simulated seconds per completion"
    )
    parser.add_argument("--levels", default="1,8,64")
    args = parser.parse_args()
    os.environ.setdefault("OPENAI_API_KEY", "bench-key")
    levels = [int(x) for x in args.levels.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        answers = args.items // 2
        write_dataset(work / "data", questions=answers, models=1)
        template = work / "template.db"
        template_store = Store.open(template)
        import_sources(template_store, loading.discover(work / "data"))
        template_store.close()  # checkpoints the WAL, so copying the file copies everything
        server, base_url = start_server(args.latency)
        warm_up(wait=True)  # the fork server's one-time start, like the openai import above
        try:
            for level in levels:
                row = run_level(template, work, base_url, level)
                row["ideal_s"] = round(row["requests"] * args.latency / level, 3)
                row["ratio"] = round(row["wall_s"] / row["ideal_s"], 3)
                results.append(row)
        finally:
            server.terminate()
    if args.json:
        print(
            json.dumps(
                {"benchmark": "judge", "latency_s": args.latency, "results": results}, indent=2
            )
        )
        return
    print(
        f"{args.items} judgments per level, {args.latency * 1000:.0f} ms simulated latency, "
        "server in its own process\n"
    )
    print(
        f"{'concurrency':>11}{'processes':>11}{'judged':>8}{'failed':>8}"
        f"{'wall s':>9}{'ideal s':>9}{'ratio':>8}"
    )
    for r in results:
        print(
            f"{r['concurrency']:>11}{r['processes']:>11}{r['judged']:>8}{r['failed']:>8}{r['wall_s']:>9.2f}"
            f"{r['ideal_s']:>9.2f}{r['ratio']:>8.2f}"
        )
    print("\nideal = requests x latency / concurrency; ratio = wall / ideal (1.00 is perfect).")
    print(
        "wall = from starting the run to the last verdict committed (worker processes included; the"
    )
    print(
        "one-time import of the openai package and start of the worker fork server happen before,"
    )
    print("as in any long-running process).")


if __name__ == "__main__":
    main()
