"""Human ratings in FastChat's judgment layout, validated as strictly as the app's own writes."""

from __future__ import annotations

from typing import Any

from mtbench_tui.core import fields
from mtbench_tui.core.jsonl import Row
from mtbench_tui.core.models import (
    FLAGS,
    MAX_SCORE,
    MIN_SCORE,
    RATING_EVENTS,
    HumanRating,
    Rating,
    RatingEvent,
)

HUMAN_JUDGE_PREFIX = "human:"
"""A judgment row whose judge model starts with this is a human rating mtbench-review exported."""


def parse_human_rating(row: Row, reviewer: str) -> HumanRating:
    """A rating and its history from an export row (see ``report.tabular``).

    Args:
        row: the row; its judge is ``["human:<reviewer>", ...]``.
        reviewer: the name after the prefix.

    Returns:
        The rating with its history.

    Raises:
        InputError: naming the field, for anything the app itself would never write.
    """
    if not reviewer.strip():
        raise row.error("judge", "human judge has no reviewer name")
    score = fields.get_number(row, "score")
    rating = Rating(
        question_id=fields.get_int(row, "question_id"),
        model=fields.get_str(row, "model", non_empty=True) or "",
        turn=fields.get_turn(row),
        reviewer=reviewer,
        score=None if score == -1 else _human_score(row, "score", score),
        note=fields.get_str(row, "judgment") or "",
        flags=_flags(row, "flags", row.data.get("flags", [])),
        blind=fields.get_bool(row, "blind"),
        created=_optional_time(row, "created", row.data.get("created")),
        updated=_optional_time(row, "updated", row.data.get("updated")),
    )
    return HumanRating(rating, _history(row, rating))


def _human_score(row: Row, name: str, value: Any) -> int:
    """A reviewer's score: an integer from 1 to 10."""
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_SCORE <= value <= MAX_SCORE:
        raise row.error(
            name, f"a human score must be an integer 1-10 (or -1), got {fields.describe(value)}"
        )
    return value


def _flags(row: Row, name: str, value: Any) -> tuple[str, ...]:
    """Known flags only, sorted and without repeats, as the app stores them."""
    flags = fields.check_str_list(row, name, value)
    unknown = sorted(set(flags) - set(FLAGS))
    if unknown:
        raise row.error(name, f"unknown flag {unknown[0]!r:.40}; known flags: {', '.join(FLAGS)}")
    return tuple(sorted(set(flags)))


def _optional_time(row: Row, name: str, value: Any) -> str | None:
    """An optional ISO 8601 timestamp."""
    return None if value is None else fields.check_timestamp(row, name, value)


def _history(row: Row, rating: Rating) -> tuple[RatingEvent, ...]:
    """The rating history carried in an export row."""
    raw = row.data.get("history", [])
    if not isinstance(raw, list):
        raise row.error("history", f"expected a list, got {fields.describe(raw)}")
    return tuple(_event(row, f"history[{i}]", item, rating) for i, item in enumerate(raw))


def _event(row: Row, name: str, item: Any, rating: Rating) -> RatingEvent:
    """One history event, checked field by field."""
    if not isinstance(item, dict):
        raise row.error(name, f"expected an object, got {fields.describe(item)}")
    if "at" not in item:
        raise row.error(f"{name}.at", "missing")
    event = fields.check_str(row, f"{name}.event", item.get("event", "score"))
    if event not in RATING_EVENTS:
        raise row.error(
            f"{name}.event", f"expected one of {', '.join(RATING_EVENTS)}, got {event!r:.40}"
        )
    score = item.get("score")
    blind = item.get("blind", False)
    if not isinstance(blind, bool):
        raise row.error(f"{name}.blind", f"expected true or false, got {fields.describe(blind)}")
    return RatingEvent(
        question_id=rating.question_id,
        model=rating.model,
        turn=rating.turn,
        reviewer=rating.reviewer,
        event=event,
        score=None if score is None else _human_score(row, f"{name}.score", score),
        note=fields.check_str(row, f"{name}.note", item.get("note", "")),
        flags=_flags(row, f"{name}.flags", item.get("flags", [])),
        blind=blind,
        at=fields.check_timestamp(row, f"{name}.at", item["at"]),
    )
