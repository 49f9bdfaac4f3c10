"""Parse human pair votes exported as FastChat pair rows (see ``pairwise.export``)."""

from __future__ import annotations

from typing import Any

from mtbench_tui.core import fields
from mtbench_tui.core.jsonl import Row
from mtbench_tui.core.pair_models import HumanPairVote, PairKey, PairVote, PairVoteEvent

HUMAN_PREFIX = "human:"
"""A pair row whose judge model starts with this is a human vote exported by mtbench-review."""

PAIR_PROMPT = "pair"
"""The prompt name of an exported human vote."""


def parse_human_pair(row: Row, reviewer: str) -> HumanPairVote:
    """A human vote exported by ``fastchat_pair_rows``.

    Args:
        row: the decoded row.
        reviewer: the name after ``human:`` in the judge field.

    Returns:
        The vote (canonical order, shown order kept), its group and history.

    Raises:
        InputError: naming the bad field.
    """
    if not reviewer.strip():
        raise row.error("judge", "human judge has no reviewer name")
    m1 = fields.get_str(row, "model_1", non_empty=True) or ""
    m2 = fields.get_str(row, "model_2", non_empty=True) or ""
    if m1 == m2:
        raise row.error("model_2", f"same model as model_1 ({m1!r})")
    turn = fields.get_int(row, "turn")
    if turn not in (1, 2):
        raise row.error("turn", f"expected 1 or 2, got {turn}")
    key = PairKey.of(fields.get_int(row, "question_id"), m1, m2, turn)
    vote = PairVote(
        *_key_fields(key),
        reviewer=reviewer,
        shown_a=m1,
        winner=_winner(row, key, m1, m2),
        note=fields.get_str(row, "g1_judgment", optional=True) or "",
        flags=_flags(row, "flags", row.data.get("flags", [])),
        blind=bool(row.data.get("blind", False)),
        created=fields.get_str(row, "created", optional=True),
        updated=fields.get_str(row, "updated", optional=True),
    )
    group = fields.get_str(row, "group", optional=True)
    return HumanPairVote(vote, group, _history(row, key, reviewer))


def _key_fields(key: PairKey) -> tuple[int, str, str, int]:
    """A key's fields in PairVote's order."""
    return key.question_id, key.model_1, key.model_2, key.turn


def _winner(row: Row, key: PairKey, m1: str, m2: str) -> str | None:
    """The canonical winner of an exported vote; both orders must agree."""
    g1 = fields.get_str(row, "g1_winner") or ""
    g2 = fields.get_str(row, "g2_winner", optional=True) or g1
    if g1 not in ("model_1", "model_2", "tie", "error"):
        raise row.error("g1_winner", f"expected model_1, model_2, tie or error, got {g1!r}")
    if g2 != g1:
        raise row.error("g2_winner", f"a human vote has one winner, got {g1!r} and {g2!r}")
    if g1 in ("tie", "error"):
        return None if g1 == "error" else "tie"
    return key.side(m1 if g1 == "model_1" else m2)


def _flags(row: Row, name: str, value: Any) -> tuple[str, ...]:
    """A list of flag strings."""
    if not isinstance(value, list) or not all(isinstance(f, str) for f in value):
        raise row.error(name, "expected a list of strings")
    return tuple(sorted(value))


def _history(row: Row, key: PairKey, reviewer: str) -> tuple[PairVoteEvent, ...]:
    """The vote history carried in an export row."""
    raw = row.data.get("history", [])
    if not isinstance(raw, list):
        raise row.error("history", "expected a list")
    events = []
    for index, item in enumerate(raw):
        name = f"history[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("at"), str):
            raise row.error(name, "expected an object with 'at'")
        winner = item.get("winner")
        if winner not in (None, "tie", key.model_1, key.model_2):
            raise row.error(
                f"{name}.winner", f"expected a model of the pair, tie or null, got {winner!r:.40}"
            )
        events.append(
            PairVoteEvent(
                key,
                reviewer,
                str(item.get("event", "vote")),
                item.get("shown_a"),
                winner if winner in (None, "tie") else key.side(winner),
                str(item.get("note", "")),
                _flags(row, f"{name}.flags", item.get("flags", [])),
                bool(item.get("blind", False)),
                item["at"],
            )
        )
    return tuple(events)
