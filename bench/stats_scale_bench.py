"""Statistics at scale: `stats --json` and the app's stats screen on 1M judgments + 100k ratings.

The database is built the way a user builds one: FastChat files (1,000 questions x 500
models, both turns judged) and a human-ratings file (alice rates 60k turns, bob 40k of the
same turns) written to disk, then `mtbench-review import`. Each stage runs in its own
process, so its time and peak RSS are its own. The reference, measured in the same run, is
one SELECT that reads every rating-judgment pair into Python: the floor for any report.

    python bench/stats_scale_bench.py                      # the issue's database, a table
    python bench/stats_scale_bench.py --json               # the same figures as JSON
    python bench/stats_scale_bench.py --questions 200 --models 100 --alice 12000 --bob 8000
    python bench/stats_scale_bench.py --keep /tmp/scale    # reuse the database next time
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CATEGORIES = ("writing", "roleplay", "extraction", "reasoning", "math", "coding", "stem")
FLOOR_SQL = (
    "SELECT r.question_id, r.model, r.turn, r.reviewer, r.score, j.score FROM ratings r"
    " JOIN judgments j ON j.question_id = r.question_id AND j.model = r.model"
    " AND j.turn = r.turn"
)
"""Every rating beside every judge's score on its turn."""


@dataclass(frozen=True)
class Shape:
    """The database's size."""

    questions: int = 1000
    models: int = 500
    alice: int = 60_000
    bob: int = 40_000
    """bob rates this many of alice's turns."""
    spread: str = "random"
    """``random``: alice's turns anywhere (every model a breakdown group); ``blocked``:
    whole models, as a team reviewing some models completely would."""


def write_inputs(root: Path, shape: Shape, seed: int = 0) -> Path:
    """Write a FastChat data directory and a human-ratings file; return the ratings file.

    Judge scores are 1-10 with 1% unparseable (-1) and a few halves; human scores follow the
    judge's with noise, so the statistics are realistic rather than random.
    """
    rng = random.Random(seed)
    (root / "model_answer").mkdir(parents=True, exist_ok=True)
    (root / "model_judgment").mkdir(parents=True, exist_ok=True)
    with open(root / "question.jsonl", "w") as out:
        for q in range(1, shape.questions + 1):
            turns = [f"Question {q}: first turn?", f"Question {q}: follow-up?"]
            category = CATEGORIES[q % len(CATEGORIES)]
            out.write(json.dumps({"question_id": q, "category": category, "turns": turns}) + "\n")
    scores: dict[tuple[int, int, int], float] = {}
    with open(root / "model_judgment" / "gpt-4_single.jsonl", "w") as jout:
        for m in range(shape.models):
            name = f"model-{m:03d}"
            with open(root / "model_answer" / f"{name}.jsonl", "w") as aout:
                for q in range(1, shape.questions + 1):
                    one, two = "word " * rng.randint(5, 60), "word " * rng.randint(5, 60)
                    choice = {"index": 0, "turns": [one, two]}
                    aout.write(json.dumps({"question_id": q, "choices": [choice]}) + "\n")
                    for turn in (1, 2):
                        score = _judge_score(rng)
                        scores[(m, q, turn)] = score
                        jout.write(json.dumps(_judgment(q, name, turn, score)) + "\n")
    return _write_ratings(root / "human_ratings.jsonl", shape, scores, rng)


def _judge_score(rng: random.Random) -> float:
    """A judge's score: -1 (no verdict) 1% of the time; else 1-10, with the odd 7.5, 8.5, 9.5.

    That is how GPT-4's scores look in the real runs (1-4% halves, on those values).
    """
    if rng.random() < 0.01:
        return -1
    score = rng.randint(1, 10)
    return score + 0.5 if 7 <= score <= 9 and rng.random() < 0.05 else score


def _judgment(q: int, model: str, turn: int, score: float) -> dict[str, Any]:
    """One FastChat single-grade judgment row."""
    prompt = "single-v1" if turn == 1 else "single-v1-multi-turn"
    text = f"Fine. Rating: [[{score:g}]]" if score != -1 else "No rating."
    return {
        "question_id": q,
        "model": model,
        "judge": ["gpt-4", prompt],
        "user_prompt": "",
        "judgment": text,
        "score": score,
        "turn": turn,
        "tstamp": 1.0,
    }


def _write_ratings(
    path: Path, shape: Shape, scores: dict[tuple[int, int, int], float], rng: random.Random
) -> Path:
    """alice's turns (spread as asked), bob's a random subset of hers; scores near the judge's."""
    if shape.spread == "blocked":
        keys = sorted(scores)[: shape.alice]  # model by model, every question and turn
    else:
        keys = rng.sample(sorted(scores), shape.alice)
    bob = set(rng.sample(range(shape.alice), shape.bob))
    with path.open("w") as out:
        for i, (m, q, turn) in enumerate(keys):
            for reviewer in ("alice", "bob") if i in bob else ("alice",):
                judged = scores[(m, q, turn)]
                base = judged if judged != -1 else 5
                human = min(10, max(1, round(base + rng.gauss(0, 1.5))))
                row = {
                    "question_id": q,
                    "model": f"model-{m:03d}",
                    "judge": [f"human:{reviewer}", "review"],
                    "judgment": "",
                    "score": human,
                    "turn": turn,
                    "created": "2025-01-01T00:00:00Z",
                    "updated": "2025-01-01T00:00:00Z",
                }
                out.write(json.dumps(row) + "\n")
    return path


def build(directory: Path, shape: Shape) -> tuple[Path, dict[str, float]]:
    """Write the files and import them with `mtbench-review import`; time each part."""
    data = directory / "data"
    started = time.perf_counter()
    ratings = write_inputs(data, shape)
    written = time.perf_counter()
    db = directory / "scale.db"
    command = [sys.executable, "-m", "mtbench_tui", "import", str(data)]
    command += ["--judgments", str(ratings), "--db", str(db)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=directory)
    imported = time.perf_counter()
    return db, {"write_seconds": written - started, "import_seconds": imported - written}


# --- stages, each in its own process ----------------------------------------------------------


def stage_floor(db: Path) -> dict[str, Any]:
    """One SELECT of every rating-judgment pair, fetched into Python."""
    import sqlite3

    start = time.perf_counter()
    rows = sqlite3.connect(db).execute(FLOOR_SQL).fetchall()
    return {"seconds": time.perf_counter() - start, "rows": len(rows)}


def stage_app(db: Path) -> dict[str, Any]:
    """Open the app, press s, and time the first numbers and the final report."""
    import asyncio

    from mtbench_tui.core.store import QueueFilter, Store
    from mtbench_tui.ui.app import make_app

    async def drive() -> dict[str, Any]:
        store = Store.open(db)
        app = make_app(store, reviewer="carol", queue_filter=QueueFilter(), blind=False)
        peak = _Sampler()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            start = time.monotonic()  # the screen stamps each stage with time.monotonic()
            await pilot.press("s")
            screen = app.screen
            while not screen.shown or screen.shown[-1][0] != "final":
                await asyncio.sleep(0.01)
                peak.sample()
            seen = {stage: at - start for stage, at in screen.shown}
            ratings = screen.computed.report.counts.ratings
            await pilot.pause()
        store.close()
        return {
            "first_seconds": seen.get("first", seen["final"]),
            "estimates_seconds": seen.get("estimates"),
            "seconds": seen["final"],
            "rows": ratings,
            "peak_sampled": peak.mib,
        }

    return asyncio.run(drive())


class _Sampler:
    """The current RSS, sampled (VmHWM covers the whole process anyway)."""

    def __init__(self) -> None:
        self.mib = 0.0

    def sample(self) -> None:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                self.mib = max(self.mib, int(line.split()[1]) / 1024)


def run_child(command: list[str], cwd: Path) -> tuple[float, float, bytes]:
    """Run a command; return its wall time, its peak RSS (MiB) and its standard output."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(command, stdout=out, cwd=cwd)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        data = out.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed")
    return seconds, usage.ru_maxrss / 1024, data


def run_stages(db: Path, directory: Path) -> dict[str, dict[str, Any]]:
    """The floor, `stats --json`, and the app's stats screen, each in a fresh process."""
    figures: dict[str, dict[str, Any]] = {}
    for name in ("floor", "app"):
        command = [sys.executable, __file__, "--stage", name, "--db", str(db)]
        seconds, peak, out = run_child(command, directory)
        figures[name] = {**json.loads(out), "process_seconds": seconds, "peak_rss_mib": peak}
    command = [sys.executable, "-m", "mtbench_tui", "stats", "--json", "--db", str(db)]
    seconds, peak, out = run_child(command, directory)
    report = json.loads(out)
    figures["stats_json"] = {
        "seconds": seconds,
        "peak_rss_mib": peak,
        "rows": report["counts"]["ratings"],
    }
    floor = figures["floor"]["seconds"]
    for name in ("stats_json", "app"):
        figures[name]["ratio_to_floor"] = figures[name]["seconds"] / floor
    return figures


def main() -> None:
    """Build the database, run each stage, print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in asdict(Shape()).items():
        parser.add_argument(f"--{name}", type=type(default), default=default)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", type=Path, help="build in this directory, reuse it if built")
    parser.add_argument("--stage")
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    if args.stage:
        stage = {"floor": stage_floor, "app": stage_app}[args.stage]
        print(json.dumps(stage(args.db)))
        return
    shape = Shape(args.questions, args.models, args.alice, args.bob, args.spread)
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        db = directory / "scale.db"
        built: dict[str, float] = {}
        if not db.exists():
            db, built = build(directory, shape)
        load_before = os.getloadavg()
        figures = run_stages(db, directory)
        load_after = os.getloadavg()
    report = {
        "shape": asdict(shape),
        "judgments": shape.questions * shape.models * 2,
        "ratings": shape.alice + shape.bob,
        "build": built,
        "load_average": {"before": load_before[0], "after": load_after[0]},
        "cpus": os.cpu_count(),
        "stages": figures,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    _print_table(report)


def _print_table(report: dict[str, Any]) -> None:
    """The figures for people."""
    shape = report["shape"]
    print(
        f"stats at scale: {report['judgments']:,} judgments ({shape['questions']:,} questions x "
        f"{shape['models']} models x 2 turns), {report['ratings']:,} ratings "
        f"(alice {shape['alice']:,}, bob {shape['bob']:,} of the same turns; {shape['spread']})"
    )
    load = report["load_average"]
    print(f"load average {load['before']:.2f} -> {load['after']:.2f} on {report['cpus']} CPUs")
    if report["build"]:
        b = report["build"]
        print(
            f"built through import: files {b['write_seconds']:.0f} s,"
            f" import {b['import_seconds']:.0f} s"
        )
    print(f"{'stage':<12}{'seconds':>9}{'first':>8}{'rows':>10}{'peak RSS MiB':>14}  vs floor")
    for name, f in report["stages"].items():
        first = f"{f['first_seconds']:.2f}" if f.get("first_seconds") is not None else ""
        ratio = f.get("ratio_to_floor")
        note = f"{ratio:.1f}x" if ratio else "(one SELECT of all rating-judgment pairs)"
        print(
            f"{name:<12}{f['seconds']:>9.2f}{first:>8}{int(f['rows']):>10,}"
            f"{f['peak_rss_mib']:>14.0f}  {note}"
        )


if __name__ == "__main__":
    main()
