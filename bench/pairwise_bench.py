"""Pairwise votes at scale: importing 1M votes, pairwise agreement and `stats --json` on them.

Each stage runs in its own process, so its time and peak memory (max RSS) are its own.
References in the same run: reading the Parquet file with pyarrow (the floor for an
import), and one `SELECT * FROM pair_votes` fetched into Python (the floor for any
analysis that reads every vote).

    python bench/pairwise_bench.py               # 1,000,000 votes, readable table
    python bench/pairwise_bench.py --json        # the same figures as JSON
    python bench/pairwise_bench.py --votes 200000
    python bench/pairwise_bench.py --keep /tmp/votes   # reuse the imported database next time
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MODELS = ("alpha-7b", "bravo-13b", "charlie-70b", "delta-chat", "echo-instruct", "foxtrot-1b")
CATEGORIES = (
    "writing",
    "roleplay",
    "reasoning",
    "math",
    "coding",
    "stem",
    "humanities",
    "extraction",
)
N_QUESTIONS = 80


def write_inputs(directory: Path, n_votes: int) -> tuple[Path, Path]:
    """A question file and a Parquet file of ``n_votes`` votes in the hub's schema."""
    import random

    import pyarrow as pa
    import pyarrow.parquet as pq

    questions = directory / "question.jsonl"
    with questions.open("w") as out:
        for q in range(1, N_QUESTIONS + 1):
            row = {
                "question_id": q,
                "category": CATEGORIES[q % 8],
                "turns": [f"Q{q} one", f"Q{q} two"],
            }
            out.write(json.dumps(row) + "\n")
    pairs = [(a, b) for i, a in enumerate(MODELS) for b in MODELS[i + 1 :]]
    comparisons = [
        (q, a, b, t) for q in range(1, N_QUESTIONS + 1) for a, b in pairs for t in (1, 2)
    ]
    rng = random.Random(0)
    columns: dict[str, list[object]] = {
        k: []
        for k in (
            "question_id",
            "model_a",
            "model_b",
            "winner",
            "judge",
            "conversation_a",
            "conversation_b",
            "turn",
        )
    }
    reviewer = 0
    while len(columns["turn"]) < n_votes:
        for q, a, b, t in comparisons:
            if len(columns["turn"]) == n_votes:
                break
            if rng.random() < 0.5:
                a, b = b, a
            columns["question_id"].append(q)
            columns["model_a"].append(a)
            columns["model_b"].append(b)
            columns["winner"].append(rng.choice(("model_a", "model_b", "tie")))
            columns["judge"].append(f"expert_{reviewer}")
            columns["conversation_a"].append(_conversation(q, a))
            columns["conversation_b"].append(_conversation(q, b))
            columns["turn"].append(t)
        reviewer += 1
    votes = directory / "votes.parquet"
    pq.write_table(pa.table(columns), votes)
    return questions, votes


def _conversation(q: int, model: str) -> list[dict[str, str]]:
    """Both turns of a model's (short, synthetic) answer to a question."""
    return [
        {"role": "user", "content": f"Q{q} one"},
        {"role": "assistant", "content": f"{model} answers {q} " * (1 + len(model) % 5)},
        {"role": "user", "content": f"Q{q} two"},
        {"role": "assistant", "content": f"{model} again on {q}"},
    ]


def stage(name: str, db: Path, questions: Path, votes: Path) -> dict[str, float]:
    """Run one stage in this process and return its figures."""
    from mtbench_tui.core import loading
    from mtbench_tui.core.importer import import_sources
    from mtbench_tui.core.pairwise.agreement import pairwise_agreement
    from mtbench_tui.core.store import Store

    start = time.perf_counter()
    if name == "read_parquet":
        import pyarrow.parquet as pq

        rows = pq.read_table(votes).num_rows
    elif name == "import":
        store = Store.open(db)
        summary = import_sources(store, loading.DataSources(questions=[questions], votes=[votes]))
        rows = summary.kinds["votes"].read
    elif name == "select_all":
        store = Store.open(db)
        rows = len(store.db.execute("SELECT * FROM pair_votes").fetchall())
    elif name == "agreement":
        store = Store.open(db)
        result = pairwise_agreement(store, n_resamples=2000)
        rows = result.n_votes
    elif name == "stats_json":
        return _stats_json(db, start)
    else:
        raise SystemExit(f"unknown stage {name}")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": rows, "peak_rss_mib": _peak_rss_mib()}


def _stats_json(db: Path, start: float) -> dict[str, float]:
    """`mtbench-review stats --json` as a user runs it: its own process, its own peak RSS."""
    command = [sys.executable, "-m", "mtbench_tui", "stats", "--json", "--db", str(db)]
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(command, stdout=out)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        report = json.loads(out.read())
    if os.waitstatus_to_exitcode(status):
        raise SystemExit("stats --json failed")
    rows = report["counts"]["pair_votes"]
    return {"seconds": seconds, "rows": rows, "peak_rss_mib": usage.ru_maxrss / 1024}


def _peak_rss_mib() -> float:
    """This process's peak resident set (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_stage(name: str, db: Path, questions: Path, votes: Path) -> dict[str, float]:
    """Run a stage in a child process (so its peak memory is its own)."""
    command = [sys.executable, __file__, "--stage", name, "--db", str(db)]
    command += ["--questions", str(questions), "--file", str(votes)]
    out = subprocess.run(command, stdout=subprocess.PIPE, check=True).stdout
    return dict(json.loads(out))


def main() -> None:
    """Generate the votes, run each stage, print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--stage")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--questions", type=Path)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--keep", type=Path, help="work in this directory; reuse its database")
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage, args.db, args.questions, args.file)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        questions, votes = directory / "question.jsonl", directory / "votes.parquet"
        if not votes.exists():
            questions, votes = write_inputs(directory, args.votes)
        db = directory / "bench.db"
        names = ["read_parquet", "import", "select_all", "agreement", "stats_json"]
        if db.exists():
            names.remove("import")  # built by an earlier run (--keep)
        figures = {name: run_stage(name, db, questions, votes) for name in names}
    if "import" in figures:
        figures["import"]["ratio_to_read_parquet"] = (
            figures["import"]["seconds"] / figures["read_parquet"]["seconds"]
        )
    figures["stats_json"]["ratio_to_select_all"] = (
        figures["stats_json"]["seconds"] / figures["select_all"]["seconds"]
    )
    figures["agreement"]["ratio_to_select_all"] = (
        figures["agreement"]["seconds"] / figures["select_all"]["seconds"]
    )
    load = os.getloadavg()[0]
    report = {"votes": args.votes, "load_average": load, "cpus": os.cpu_count(), "stages": figures}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(
        f"pairwise bench, {args.votes:,} votes"
        f" ({len(MODELS)} models, {N_QUESTIONS} questions, 2 turns)"
        f"; load average {load:.2f} on {os.cpu_count()} CPUs"
    )
    print(f"{'stage':<14}{'seconds':>10}{'rows':>12}{'peak RSS MiB':>14}  vs reference")
    for name, f in figures.items():
        ratio = f.get("ratio_to_read_parquet") or f.get("ratio_to_select_all")
        note = f"{ratio:.1f}x" if ratio else "(reference)"
        print(
            f"{name:<14}{f['seconds']:>10.2f}{int(f['rows']):>12,}"
            f"{f['peak_rss_mib']:>14.0f}  {note}"
        )


if __name__ == "__main__":
    main()
