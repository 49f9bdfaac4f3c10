"""Shared fixtures: every test's paths point into tmp_path, never the user's home or the network."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mtbench_tui.core import loading
from mtbench_tui.core.importer import import_sources
from mtbench_tui.core.paths import demo_data_dir
from mtbench_tui.core.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MTBENCH_SHARED", ROOT.parent / "shared"))
DEMO_RATINGS = ROOT / "data" / "demo-ratings" / "human_ratings.jsonl"
SHARED_HINT = (
    "set MTBENCH_SHARED to the directory holding mtbench/ and stats/ to run it"
    " (e.g. MTBENCH_SHARED=/work/shared python -m pytest; see README)"
)
"""How to enable the tests that need the real MT-Bench files; every such skip says it."""


def pytest_addoption(parser: pytest.Parser) -> None:
    """--update-golden rewrites the golden report files from the current output."""
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/* from current output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when golden files should be rewritten."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME, the database, the reviewer and the working directory at tmp_path; hide keys."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("MTBENCH_REVIEW_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("MTBENCH_REVIEWER", "tester")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def shared() -> Path:
    """The ../shared data directory; tests that need it skip cleanly without it."""
    if not (SHARED / "mtbench").is_dir():
        pytest.skip(f"needs the shared MT-Bench data, not found at {SHARED}: {SHARED_HINT}")
    return SHARED


@pytest.fixture
def runs(shared: Path) -> list[Path]:
    """The five real FastChat runs."""
    return sorted(p for p in (shared / "mtbench" / "runs").iterdir() if p.is_dir())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A fresh database path."""
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path: Path) -> Store:
    """An empty store on a real file."""
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture
def demo_store(store: Store) -> Store:
    """The bundled demo data without its pairwise verdicts (pairwise tests bring their own)."""
    sources = loading.discover(demo_data_dir())
    sources.pairs.clear()
    import_sources(store, sources)
    return store


@pytest.fixture
def full_demo_store(store: Store) -> Store:
    """Everything the first launch imports: the demo data with its pairwise verdicts."""
    import_sources(store, loading.discover(demo_data_dir()))
    return store


@pytest.fixture
def rated_store(demo_store: Store) -> Store:
    """The demo data plus the two sample reviewers' ratings."""
    sources = loading.DataSources(judgments=[DEMO_RATINGS])
    import_sources(demo_store, sources)
    return demo_store


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of the demo data directory, for corrupting."""
    target = tmp_path / "demo"
    shutil.copytree(demo_data_dir(), target)
    return target
