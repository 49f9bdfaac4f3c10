"""Pairwise test data: FastChat pair verdicts and extra answers written to files and imported."""

from __future__ import annotations

import json
from pathlib import Path

from mtbench_tui.core import loading
from mtbench_tui.core.importer import import_sources
from mtbench_tui.core.store import Store

LYNX, ORION, PICO = "lynx-13b-chat", "orion-70b-chat", "pico-1b-chat"
ZETA = "zeta-7b"
"""A fourth model that answered only some demo questions, so questions differ in pair count."""

ZETA_QUESTIONS = (901, 902, 903, 907, 909, 910, 916)

VERDICTS = [
    # question, model_1 (the judge's order), model_2, turn, g1, g2
    (901, ORION, LYNX, 1, "model_1", "model_1"),  # orion wins both orders
    (901, ORION, LYNX, 2, "model_1", "model_2"),  # inconsistent
    (901, PICO, LYNX, 1, "tie", "model_2"),  # tie (orders disagree)
    (902, LYNX, ORION, 1, "model_2", "model_2"),  # orion wins
    (902, LYNX, PICO, 2, "error", "model_1"),  # error
    (903, ZETA, PICO, 1, "model_2", "model_1"),  # inconsistent
    (904, ORION, PICO, 1, "tie", "tie"),  # tie
    (904, ORION, PICO, 2, "model_1", "model_1"),
    (907, LYNX, ZETA, 2, "model_2", "model_2"),
    (909, PICO, ORION, 1, "model_2", "model_2"),
    (909, PICO, ORION, 2, "model_1", "model_1"),
    (912, LYNX, PICO, 1, "model_1", "model_1"),
]


def pair_row(q: int, m1: str, m2: str, turn: int, g1: str, g2: str) -> dict[str, object]:
    """A FastChat ``model_judgment/*_pair.jsonl`` row."""
    verdict = {"model_1": "[[A]]", "model_2": "[[B]]", "tie": "[[C]]", "error": "no verdict"}
    return {
        "question_id": q,
        "model_1": m1,
        "model_2": m2,
        "g1_winner": g1,
        "g2_winner": g2,
        "judge": ["gpt-4", "pair-v2" if turn == 1 else "pair-v2-multi-turn"],
        "g1_user_prompt": f"g1 prompt {q} {turn}",
        "g1_judgment": f"Order one on Q{q} turn {turn}: {verdict[g1]}",
        "g2_user_prompt": f"g2 prompt {q} {turn}",
        "g2_judgment": f"Order two on Q{q} turn {turn}: {verdict[g2]}",
        "turn": turn,
        "tstamp": 1.0,
    }


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    """Write rows as JSON Lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def answer_row(q: int, model: str, turns: tuple[str, str]) -> dict[str, object]:
    """A FastChat ``model_answer`` row."""
    return {
        "question_id": q,
        "answer_id": f"{model}-{q}",
        "model_id": model,
        "choices": [{"index": 0, "turns": list(turns)}],
        "tstamp": 1.0,
    }


def add_pair_data(store: Store, directory: Path) -> Store:
    """Import zeta's answers to a few demo questions and the pair verdicts above.

    Args:
        store: a store holding the demo data.
        directory: where to write the files.

    Returns:
        The same store.
    """
    zeta = [answer_row(q, ZETA, (f"zeta one {q}", f"zeta two {q}")) for q in ZETA_QUESTIONS]
    answers = write_jsonl(directory / "model_answer" / f"{ZETA}.jsonl", zeta)
    pairs = write_jsonl(
        directory / "model_judgment" / "gpt-4_pair.jsonl", [pair_row(*v) for v in VERDICTS]
    )
    import_sources(store, loading.DataSources(answers=[answers], pairs=[pairs]))
    return store
