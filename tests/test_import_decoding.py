"""The fast decoder (msgspec) accepts what the precise validators accept, with the same values."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtbench_tui.core import decoding, pair_decoding
from mtbench_tui.core.jsonl import InputError

ODD_NUMBERS = [
    0,
    1,
    2,
    8,
    10,
    11,
    -1,
    -2,
    8.5,
    -1.0,
    10.0,
    1e6,
    2**63 - 1,
    2**63,
    -(2**63) - 1,
    2**70,
    float("inf"),
    float("-inf"),
    float("nan"),
    True,
    False,
]
ODD_TEXT = ["", " ", "\t", "m", " m ", "\ud800", "a\udc00b", "😀", "\x1b[2J", "m\u202e", "human:x"]
ODD_VALUES: list[Any] = [None, [], {}, ["a"], ["a", "b"], ["a", "b", "c"], [1, 2], "1"]

numbers = st.sampled_from(ODD_NUMBERS)
texts = st.sampled_from(ODD_TEXT) | st.text(max_size=5)
anything = numbers | texts | st.sampled_from(ODD_VALUES)
MISSING = object()


def field(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly valid values, sometimes anything, sometimes absent."""
    return st.one_of(valid, valid, anything, st.just(MISSING))


JUDGMENT = {
    "question_id": field(st.integers(1, 5)),
    "model": field(st.sampled_from(["m", "n"])),
    "judge": field(
        st.lists(st.sampled_from(["gpt-4", "single-v1", " ", "human:bob"]), min_size=2, max_size=2)
    ),
    "score": field(st.sampled_from([-1, 1, 7, 8.5, 10])),
    "turn": field(st.sampled_from([1, 2])),
    "judgment": field(st.sampled_from(["ok [[7]]", ""])),
    "user_prompt": field(st.sampled_from(["p", None])),
    "tstamp": field(st.sampled_from([1.5, 2, None])),
}
ANSWER = {
    "question_id": field(st.integers(1, 5)),
    "choices": field(
        st.lists(
            st.fixed_dictionaries({"index": st.just(0), "turns": st.just(["a", "b"]) | anything}),
            min_size=1,
            max_size=2,
        )
    ),
    "answer_id": field(st.sampled_from(["x", None])),
    "model_id": field(st.sampled_from(["M", None])),
    "tstamp": field(st.sampled_from([1.5, 2, None])),
}
PAIR = {
    "question_id": field(st.integers(1, 5)),
    "model_1": field(st.sampled_from(["a", "b"])),
    "model_2": field(st.sampled_from(["a", "b"])),
    "judge": field(st.just(["gpt-4", "pair-v2"])),
    "g1_winner": field(
        st.sampled_from(["model_1", "model_2", "tie", "tie (inconsistent)", "error"])
    ),
    "g2_winner": field(st.sampled_from(["model_1", "model_2", "tie", "error", "x"])),
    "turn": field(st.sampled_from([1, 2])),
    "g1_judgment": field(st.sampled_from(["[[A]]", None])),
    "tstamp": field(st.sampled_from([1.5, None])),
}


def rows(spec: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[bytes]:
    """JSON lines built from a field spec (NaN and Infinity written as Python's json does)."""
    built = st.fixed_dictionaries(spec).map(
        lambda d: {k: v for k, v in d.items() if v is not MISSING}
    )
    return built.map(lambda d: json.dumps(d).encode())


def outcome(decode: Callable[..., decoding.Decoded], line: bytes) -> Any:
    """Staged rows, or the error message."""
    try:
        out = decode(Path("f.jsonl"), 0, 7, [line])
    except InputError as exc:
        return str(exc)
    return ({k: [repr(r) for r in v] for k, v in out.rows.items() if v}, out.no_verdict)


def precise_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every msgspec decoder refuse, so that each line takes the precise path."""

    def refuse(_raw: bytes) -> Any:
        raise msgspec.DecodeError("forced")

    for name in ("_DECODE_JUDGMENT", "_DECODE_ANSWER"):
        monkeypatch.setattr(decoding, name, refuse)
    monkeypatch.setattr(pair_decoding, "_DECODE_PAIR", refuse)


def same_outcome(decode: Callable[..., decoding.Decoded], line: bytes) -> None:
    """The fast and the precise path agree on one line."""
    fast = outcome(decode, line)
    with pytest.MonkeyPatch.context() as mp:
        precise_only(mp)
        slow = outcome(decode, line)
    assert fast == slow, line


SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(rows(JUDGMENT))
def test_judgment_lines(line: bytes) -> None:
    same_outcome(decoding.decode_judgments, line)


@SETTINGS
@given(rows(ANSWER))
def test_answer_lines(line: bytes) -> None:
    same_outcome(decoding.decode_answers, line)


@SETTINGS
@given(rows(PAIR))
def test_pair_lines(line: bytes) -> None:
    same_outcome(pair_decoding.decode_pairs, line)


@pytest.mark.parametrize(
    "line",
    [
        b"",
        b"   ",
        b"\xc2\xa0",
        b"[1]",
        b"{",
        b'{"question_id": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b"\xef\xbb\xbf{}",
        b'{"question_id": 1, "model": "m", "judge": ["a", "b"], "score": 5, "turn": 1,'
        b' "judgment": "x", "score": 11}',
    ],
)
def test_odd_lines(line: bytes) -> None:
    for decode in (decoding.decode_judgments, decoding.decode_answers, pair_decoding.decode_pairs):
        same_outcome(decode, line)


def test_fast_path_is_taken_for_ordinary_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """A valid line never reaches the precise path (that is what makes the import fast)."""
    line = json.dumps(
        {
            "question_id": 3,
            "model": "m",
            "judge": ["gpt-4", "single-v1"],
            "score": 7,
            "turn": 1,
            "judgment": "[[7]]",
        }
    ).encode()

    def no_slow(*_args: Any) -> None:
        raise AssertionError("precise path used")

    monkeypatch.setattr(decoding, "precise_row", no_slow)
    assert decoding.decode_judgments(Path("f.jsonl"), 0, 1, [line]).rows["judgments"]
