"""`fetch mt-bench-human` against a loopback fake of the hub: download, cache, token, import."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mtbench_tui.cli import main
from mtbench_tui.core.store import Store
from tests.hub_server import FakeHub, serve

DATASET = "lmsys/mt_bench_human_judgments"
SPACE = "lmsys/mt-bench"
HUMAN = "data/human-00000-of-00001-5d3f0a1b.parquet"
GPT4 = "data/gpt4_pair-00000-of-00001-9c2e4d7f.parquet"


def run(*args: str) -> Result:
    """Invoke the CLI in-process."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def hub(shared: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeHub]:
    """The fake hub serving the shared Parquet splits, questions and judge prompts."""
    official = shared / "mtbench" / "official"
    files = {
        ("dataset", DATASET, HUMAN): shared / "mtbench/human_judgments/human-q81-90.parquet",
        ("dataset", DATASET, GPT4): shared / "mtbench/human_judgments/gpt4_pair-q81-90.parquet",
        ("dataset", DATASET, "README.md"): official / "judge_prompts.jsonl",
        ("space", SPACE, "data/mt_bench/question.jsonl"): official / "question.jsonl",
        ("space", SPACE, "data/judge_prompts.jsonl"): official / "judge_prompts.jsonl",
    }
    with serve(FakeHub(files)) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
        monkeypatch.setenv("HF_TOKEN", "hf_test_token")
        monkeypatch.setenv("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        monkeypatch.delenv("HF_HUB_CACHE", raising=False)
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        yield server


def test_list_shows_the_human_study() -> None:
    result = run("fetch", "--list")
    assert result.exit_code == 0
    assert "mt-bench-human" in result.output and "gpt4_pair" in result.output


def test_fetch_downloads_caches_and_imports(hub: FakeHub, tmp_path: Path, shared: Path) -> None:
    db, to = tmp_path / "hub.db", tmp_path / "files"
    result = run("fetch", "mt-bench-human", "--to", str(to), "--db", str(db))
    assert result.exit_code == 0, result.output
    placed = {p.relative_to(to).as_posix() for p in to.rglob("*") if p.is_file()}
    assert {
        f"lmsys__mt_bench_human_judgments/{HUMAN}",
        f"lmsys__mt_bench_human_judgments/{GPT4}",
        "lmsys__mt-bench/data/mt_bench/question.jsonl",
        "lmsys__mt-bench/data/judge_prompts.jsonl",
    } <= placed
    downloaded = to / f"lmsys__mt_bench_human_judgments/{HUMAN}"
    assert (
        downloaded.read_bytes()
        == (shared / "mtbench/human_judgments/human-q81-90.parquet").read_bytes()
    )
    # The token went with every request; the hub's cache under HF_HOME holds the blobs.
    reads = [(p, auth) for _m, p, auth in hub.requests if "/resolve/" in p or "/tree/" in p]
    assert len(reads) >= 5 and all(auth == "Bearer hf_test_token" for _p, auth in reads)
    assert any((tmp_path / "hf-home" / "hub").rglob("*.parquet"))
    store = Store.open(db)
    assert sum(1 for _ in store.votes.iter_all()) == 378
    assert store.db.execute("SELECT COUNT(*) FROM pair_judgments").fetchone()[0] == 300
    assert store.db.execute("SELECT COUNT(*) FROM questions").fetchone()[0] == 80
    store.close()
    # A second fetch finds the files in the cache: no file body is downloaded again.
    hub.requests.clear()
    again = run("fetch", "mt-bench-human", "--db", str(db))
    assert again.exit_code == 0, again.output
    assert not [p for m, p, _a in hub.requests if m == "GET" and "/resolve/" in p]
    assert "unchanged" in again.output


def test_fetch_names_what_is_missing(hub: FakeHub, tmp_path: Path) -> None:
    del hub.files[("space", SPACE, "data/judge_prompts.jsonl")]
    db = tmp_path / "x.db"
    result = run("fetch", "mt-bench-human", "--db", str(db))
    assert result.exit_code != 0
    assert "data/judge_prompts.jsonl" in " ".join(result.output.split())
    assert not db.exists()


def test_unknown_name_and_missing_dataset(hub: FakeHub, tmp_path: Path) -> None:
    assert "unknown dataset 'nope'" in run("fetch", "nope").output
    for key in [k for k in hub.files if k[0] == "dataset"]:
        del hub.files[key]
    result = run("fetch", "mt-bench-human", "--db", str(tmp_path / "y.db"))
    assert result.exit_code != 0 and "cannot list lmsys/mt_bench_human_judgments" in result.output
