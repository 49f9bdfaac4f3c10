"""Decode pairwise verdict files (FastChat's ``*_pair.jsonl``) into staged rows, fast.

Verdicts are staged with model_1 < model_2 (flipped if need be, and marked so): the same
verdict written the other way round is then a repeat, and the merge puts it back in the
order it was first read, or in the stored row's order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Union

import msgspec

from mtbench_tui.core import loading
from mtbench_tui.core.decoding import (
    DECODE_FAILURES,
    Decoded,
    Int64,
    Number,
    Staged,
    Turn,
    blank,
    precise_row,
)
from mtbench_tui.core.pair_choices import derived_group
from mtbench_tui.core.pair_models import HumanPairVote, PairJudgment, combine_orders


class _Pair(msgspec.Struct):
    """A pairwise verdict line."""

    question_id: Int64
    model_1: str
    model_2: str
    judge: tuple[str, str]
    g1_winner: str
    g2_winner: str
    turn: Turn
    g1_judgment: Union[str, None] = None
    g2_judgment: Union[str, None] = None
    g1_user_prompt: Union[str, None] = None
    g2_user_prompt: Union[str, None] = None
    tstamp: Number = None


_DECODE_PAIR = msgspec.json.Decoder(_Pair).decode
_PAIR_WINNERS = {"model_1": "model_1", "model_2": "model_2", "error": "error"}


def decode_pairs(path: Path, index: int, first: int, lines: list[bytes]) -> Decoded:
    """Pairwise verdicts, judged in both orders (and human votes exported in their layout).

    A verdict is staged with model_1 < model_2, flipped if need be, and remembers whether
    it was: the same verdict written the other way round is then a repeat, not a conflict.
    """
    out = Decoded()
    staged = out.rows.setdefault("pair_judgments", [])
    for offset, raw in enumerate(lines):
        line = first + offset
        try:
            p = _DECODE_PAIR(raw)
        except DECODE_FAILURES:
            p = None
        values = None if p is None else _fast_pair(p)
        if values is None:
            row = precise_row(path, line, raw)
            if row is None:
                continue
            item = loading.parse_pair(row)
            if isinstance(item, HumanPairVote):
                stage_pair_vote(out, index, line, item)
                continue
            values = _pair_values(item)
        staged.append((index, line, *canonical_pair(values)))
    return out


def _fast_pair(p: _Pair) -> Staged | None:
    """A verdict's data columns, or None when the precise validators must decide."""
    judge_model, prompt = p.judge
    g1, g2 = _pair_winner(p.g1_winner), _pair_winner(p.g2_winner)
    if (
        g1 is None
        or g2 is None
        or blank(p.model_1)
        or blank(p.model_2)
        or p.model_1 == p.model_2
        or blank(judge_model)
        or blank(prompt)
        or judge_model.startswith(loading.HUMAN_JUDGE_PREFIX)
    ):
        return None
    return (p.question_id, p.model_1, p.model_2, p.turn, judge_model, judge_model, prompt) + (
        combine_orders(g1, g2),
        g1,
        g2,
        p.g1_judgment or "",
        p.g2_judgment or "",
        p.g1_user_prompt or "",
        p.g2_user_prompt or "",
        p.tstamp,
    )


def _pair_winner(value: str) -> str | None:
    """FastChat's winner, with any 'tie ...' counted as a tie; None when unknown."""
    return "tie" if value.startswith("tie") else _PAIR_WINNERS.get(value)


_SIDE_FLIP = {"model_1": "model_2", "model_2": "model_1"}


def canonical_pair(values: Staged) -> Staged:
    """A verdict's data columns with model_1 < model_2, plus 1 if they were flipped, else 0.

    Flipping swaps the models, sees each winner from the other side and exchanges the two
    presentation orders (g1 and g2), as ``tables.pair_flip`` does in SQL.
    """
    qid, m1, m2, turn, judge, judge_model, prompt, winner, g1, g2, j1, j2, u1, u2, ts = values
    if m1 < m2:
        return (*values, 0)
    flip = _SIDE_FLIP.get
    return (qid, m2, m1, turn, judge, judge_model, prompt, flip(winner, winner)) + (
        None if g2 is None else flip(g2, g2),
        None if g1 is None else flip(g1, g1),
        j2,
        j1,
        u2,
        u1,
        ts,
        1,
    )


def _pair_values(v: PairJudgment) -> Staged:
    """A PairJudgment's data columns."""
    return (
        v.question_id,
        v.model_1,
        v.model_2,
        v.turn,
        v.judge_model,
        v.judge_model,
        v.prompt,
        v.winner,
        v.g1_winner,
        v.g2_winner,
        v.g1_judgment,
        v.g2_judgment,
        v.g1_user_prompt,
        v.g2_user_prompt,
        v.tstamp,
    )


def stage_pair_vote(out: Decoded, index: int, line: int, human: HumanPairVote) -> None:
    """A human pair vote exported by mtbench-review, with its history and reviewer group."""
    v = human.vote
    out.reviewers.setdefault(v.reviewer, human.group or derived_group(v.reviewer))
    out.add(
        "pair_votes",
        (index, line, v.question_id, v.model_1, v.model_2, v.turn, v.reviewer, v.shown_a)
        + (v.winner, v.note, json.dumps(list(v.flags)), int(v.blind), "app", v.created, v.updated),
    )
    events = out.history.setdefault("pair_votes", [])
    base = (index << 44) | (line << 16)
    for i, e in enumerate(human.history):
        k = e.key
        events.append(
            (base | min(i, 0xFFFF), k.question_id, k.model_1, k.model_2, k.turn, e.reviewer)
            + (e.event, e.shown_a, e.winner, e.note, json.dumps(list(e.flags)), int(e.blind), e.at)
        )
