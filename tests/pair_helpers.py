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


HOSTILE_A = "[reverse]evil\x1b[31m-7b"
"""A model name that is Rich markup and an ANSI escape: it must show as these characters."""
HOSTILE_B = "[@click=app.quit]bidi\u202ename"


def study_row(
    question: tuple[int, tuple[str, str]],
    model_a: str,
    model_b: str,
    winner: str,
    judge: str,
    turn: int,
    answers: tuple[tuple[str, str], tuple[str, str]],
) -> dict[str, object]:
    """A row of MT-Bench's human-judgment dataset (JSON Lines layout)."""
    (q, turns), (answer_a, answer_b) = question, answers

    def conversation(answer: tuple[str, str]) -> list[dict[str, str]]:
        return [
            {"role": "user", "content": turns[0]},
            {"role": "assistant", "content": answer[0]},
            {"role": "user", "content": turns[1]},
            {"role": "assistant", "content": answer[1]},
        ]

    return {
        "question_id": q,
        "model_a": model_a,
        "model_b": model_b,
        "winner": winner,
        "judge": judge,
        "conversation_a": conversation(answer_a),
        "conversation_b": conversation(answer_b),
        "turn": turn,
    }


HOSTILE_ANSWERS = (
    ("[bold red]loud[/] \x1b[2J answer one", "turn two [link=file:///etc/passwd]x[/link]"),
    ("<script>alert(1)</script> B one", "B two \u202edesrever"),
)


def add_hostile_pair(store: Store, directory: Path) -> Store:
    """Import a comparison on demo question 901 between two hostile model names, with a human
    vote (``mallory``) and the judge's verdict in both turns.

    Args:
        store: a store holding the demo data.
        directory: where to write the file.

    Returns:
        The same store.
    """
    q = store.content.question(901)
    assert q is not None
    question = (901, q.turns)
    rows = [
        study_row(question, HOSTILE_A, HOSTILE_B, "model_a", "mallory_1", 1, HOSTILE_ANSWERS),
        study_row(question, HOSTILE_A, HOSTILE_B, "model_b", "gpt4_pair", 1, HOSTILE_ANSWERS),
        study_row(
            question, HOSTILE_A, HOSTILE_B, "tie (inconsistent)", "gpt4_pair", 2, HOSTILE_ANSWERS
        ),
    ]
    votes = write_jsonl(directory / "hostile_votes.jsonl", rows)
    import_sources(store, loading.DataSources(votes=[votes]))
    return store


def reviewer_group(store: Store, name: str) -> str | None:
    """A reviewer's group as stored, or None for an unknown reviewer."""
    row = store.db.execute("SELECT reviewer_group FROM reviewers WHERE name = ?", [name]).fetchone()
    return None if row is None else str(row[0])


def count_voted(store: Store, reviewer: str) -> int:
    """How many comparison turns a reviewer has a vote (a winner) on."""
    sql = "SELECT COUNT(*) FROM pair_votes WHERE reviewer = ? AND winner IS NOT NULL"
    return int(store.db.execute(sql, [reviewer]).fetchone()[0])
