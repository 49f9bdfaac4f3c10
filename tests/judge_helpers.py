"""Helpers for judge tests: data with answers but no verdicts, and a real run's replay table."""

from __future__ import annotations

from pathlib import Path

from mtbench_tui.core import loading
from mtbench_tui.core.importer import import_sources
from mtbench_tui.core.store import Store
from tests.helpers import read_jsonl


def import_without_verdicts(store: Store, run: Path) -> None:
    """Questions, references and answers of a FastChat directory, leaving judging to the test."""
    sources = loading.discover(run)
    sources.judgments, sources.pairs = [], []
    import_sources(store, sources)


def replay_table(run: Path) -> dict[str, str]:
    """user_prompt -> the judgment GPT-4 gave for it in this run."""
    return {
        row["user_prompt"]: row["judgment"]
        for row in read_jsonl(run / "model_judgment" / "gpt-4_single.jsonl")
    }
