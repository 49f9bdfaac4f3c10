"""Human pair votes as FastChat ``model_judgment/*_pair.jsonl`` rows, and back.

A vote is written with ``model_1`` = the model the reviewer saw as A, and the same winner
in both orders (a person votes once), so FastChat's ``show_result.py`` scores the file as
it scores a judge. ``judge`` is ``["human:<reviewer>", "pair"]``. A cleared vote (note or
flags only) has winner ``error``, which FastChat leaves out. Extra keys carry the group,
note, flags, blind mode, times and history, so nothing is lost on import.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from mtbench_tui.core.human_pair_rows import HUMAN_PREFIX, PAIR_PROMPT
from mtbench_tui.core.pair_choices import vote_key, winner_model
from mtbench_tui.core.pair_models import PairKey, PairVote, PairVoteEvent
from mtbench_tui.core.store import Store
from mtbench_tui.core.textsafe import json_safe


def fastchat_pair_rows(store: Store, reviewer: str | None = None) -> Iterator[dict[str, Any]]:
    """Every stored vote (optionally one reviewer's) as a FastChat pair row.

    Args:
        store: the database.
        reviewer: only this reviewer's votes.

    Yields:
        JSON-ready dicts, one per vote.
    """
    history: dict[tuple[PairKey, str], list[dict[str, Any]]] = {}
    for e in store.votes.all_history(reviewer):
        history.setdefault((e.key, e.reviewer), []).append(_event_dict(e))
    groups = {r.name: r.group for r in store.votes.reviewers()}
    for v in store.votes.iter_all(reviewer):
        yield _row(v, groups.get(v.reviewer), history.get((vote_key(v), v.reviewer), []))


def write_fastchat_pairs(store: Store, out: IO[str], reviewer: str | None = None) -> int:
    """Write the votes as FastChat pair JSONL.

    Returns:
        The number of rows written.
    """
    count = 0
    for row in fastchat_pair_rows(store, reviewer):
        out.write(json_safe(json.dumps(row, ensure_ascii=False)) + "\n")
        count += 1
    return count


def _row(v: PairVote, group: str | None, history: list[dict[str, Any]]) -> dict[str, Any]:
    """One vote as a FastChat pair row, in the order the reviewer saw it."""
    key = vote_key(v)
    shown_b = key.other(v.shown_a)
    best = winner_model(v)
    side = "error" if v.winner is None else "tie" if best is None else _side(best, v.shown_a)
    return {
        "question_id": v.question_id,
        "model_1": v.shown_a,
        "model_2": shown_b,
        "g1_winner": side,
        "g2_winner": side,
        "judge": [f"{HUMAN_PREFIX}{v.reviewer}", PAIR_PROMPT],
        "g1_user_prompt": "",
        "g1_judgment": v.note,
        "g2_user_prompt": "",
        "g2_judgment": "",
        "turn": v.turn,
        "tstamp": _epoch(v.updated),
        "group": group,
        "flags": list(v.flags),
        "blind": v.blind,
        "created": v.created,
        "updated": v.updated,
        "history": history,
    }


def _side(model: str, shown_a: str) -> str:
    """``model_1`` when the model is the one shown as A, else ``model_2``."""
    return "model_1" if model == shown_a else "model_2"


def _event_dict(e: PairVoteEvent) -> dict[str, Any]:
    """A history event with its winner named by model (``tie``, or null when cleared)."""
    winner = e.winner if e.winner in (None, "tie") else e.key.model(e.winner or "")
    return {
        "event": e.event,
        "shown_a": e.shown_a,
        "winner": winner,
        "note": e.note,
        "flags": list(e.flags),
        "blind": e.blind,
        "at": e.at,
    }


def _epoch(iso: str | None) -> float | None:
    """An ISO timestamp as Unix seconds, as FastChat's tstamp."""
    if not iso:
        return None
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
