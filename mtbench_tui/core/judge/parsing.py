"""Reading a score out of a judge's text, with FastChat's semantics by default."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtbench_tui.core.models import on_scale

# FastChat's patterns: "[[8]]" or "[[8.5]]", falling back to a single-bracket "[8]".
RATING = re.compile(r"\[\[(\d+\.?\d*)\]\]")
RATING_FALLBACK = re.compile(r"\[(\d+\.?\d*)\]")


@dataclass(frozen=True)
class Verdict:
    """The score read from a judgment (None = no verdict) and, when there is none, why."""

    score: float | None
    reason: str | None = None


def parse_verdict(text: str, strict: bool = False) -> Verdict:
    """Read the rating from a judge's explanation.

    Args:
        text: the judge's full response.
        strict: reject ratings outside 1-10 (FastChat keeps whatever number it finds).

    Returns:
        The first ``[[n]]`` rating, else the first ``[n]``; no match means no verdict.
        Whole numbers come back as int, others as float (8.5), as FastChat stores them.
    """
    match = RATING.search(text) or RATING_FALLBACK.search(text)
    if match is None:
        return Verdict(None, "no rating found" if text.strip() else "empty judgment")
    raw = match.group(1)
    score: float = float(raw) if "." in raw else int(raw)
    if strict and not on_scale(score):
        return Verdict(None, f"rating {raw} is outside 1-10")
    return Verdict(score)


PAIR_LETTERS = {"g1": {"A": "model_1", "B": "model_2"}, "g2": {"A": "model_2", "B": "model_1"}}
"""Which model each letter stands for in each order: g2 shows model_2 as A."""


def parse_pair_letter(text: str) -> str:
    """The letter verdict of a pairwise judgment, with FastChat's semantics.

    Args:
        text: the judge's full response.

    Returns:
        ``A`` if ``[[A]]`` occurs anywhere, else ``B`` for ``[[B]]``, else ``tie`` for
        ``[[C]]``, else ``error`` (the text is kept; the order counts as failed to parse).
    """
    for token, letter in (("[[A]]", "A"), ("[[B]]", "B"), ("[[C]]", "tie")):
        if token in text:
            return letter
    return "error"


def pair_winner(text: str, order: str) -> str:
    """The winner of one order, named by model as FastChat stores it.

    Args:
        text: the judge's full response.
        order: ``g1`` (model_1 shown as A) or ``g2`` (model_2 shown as A).

    Returns:
        model_1, model_2, tie or error.
    """
    letter = parse_pair_letter(text)
    return PAIR_LETTERS[order].get(letter, letter)
