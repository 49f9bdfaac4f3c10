"""Read MT-Bench human-judgment vote files (Parquet as the hub serves it, JSON Lines, JSON).

Every row becomes a ``StudyRow``; every error names the file, the line (for Parquet: the
row number, from 1) and the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtbench_tui.core import fields
from mtbench_tui.core.jsonl import InputError, ProgressCallback, Row, iter_rows
from mtbench_tui.core.pair_models import PairKey

STUDY_WINNERS: tuple[str, ...] = ("model_a", "model_b", "tie", "tie (inconsistent)")
"""The ``winner`` labels of the published dataset."""

JUDGE_ALIASES: dict[str, str] = {"gpt4_pair": "gpt-4"}
"""Judge strings of the dataset that name a model judging pairwise; any other is a human."""

_ROLES = ("user", "assistant", "user", "assistant")
_PARQUET_BATCH = 2000


@dataclass(frozen=True)
class StudyRow:
    """One row of the dataset: a vote (or a judge's verdict) on one turn of a comparison."""

    question_id: int
    model_a: str
    model_b: str
    winner: str
    judge: str
    turn: int
    answer_a: tuple[str, str]
    answer_b: tuple[str, str]

    @property
    def key(self) -> PairKey:
        """The comparison, in canonical order."""
        return PairKey.of(self.question_id, self.model_a, self.model_b, self.turn)

    @property
    def is_judge(self) -> bool:
        """True for a model judge's verdict (``gpt4_pair``), False for a human vote."""
        return self.judge in JUDGE_ALIASES

    @property
    def side_winner(self) -> str:
        """The winner in model_1/model_2 terms of the row's own order (model_1 = model_a).

        ``tie (inconsistent)`` stays distinct as ``inconsistent``.
        """
        return {
            "model_a": "model_1",
            "model_b": "model_2",
            "tie": "tie",
            "tie (inconsistent)": "inconsistent",
        }[self.winner]

    @property
    def canonical_winner(self) -> str:
        """The winner in the canonical comparison's terms (``model_1`` < ``model_2``)."""
        side = self.side_winner
        if self.model_a < self.model_b or side not in ("model_1", "model_2"):
            return side
        return "model_2" if side == "model_1" else "model_1"


def read_votes(
    path: Path, progress: ProgressCallback | None = None
) -> Iterator[tuple[Row, StudyRow]]:
    """Parse a vote file; the format follows the file name (``.parquet``, ``.json``, else JSONL).

    Args:
        path: the file.
        progress: optional callback given the bytes consumed.

    Yields:
        Each row with where it was read.

    Raises:
        InputError: on the first bad row.
    """
    for row in _raw_rows(path, progress):
        yield row, parse_study_row(row)


def _raw_rows(path: Path, progress: ProgressCallback | None) -> Iterator[Row]:
    """The file's records as Rows, whatever the format."""
    if path.suffix == ".parquet":
        return _parquet_rows(path, progress)
    if path.suffix == ".json" and _starts_with_bracket(path):
        return _json_array_rows(path, progress)
    return iter_rows(path, progress)


def _starts_with_bracket(path: Path) -> bool:
    """True when a .json file holds one JSON array (else it is read as JSON Lines)."""
    with open(path, "rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"[")


def _parquet_rows(path: Path, progress: ProgressCallback | None) -> Iterator[Row]:
    """Rows of a Parquet file, numbered from 1, read a batch at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        reader = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(path, 0, None, f"not a readable Parquet file: {exc}") from None
    total, size, number = max(reader.metadata.num_rows, 1), path.stat().st_size, 0
    for batch in reader.iter_batches(batch_size=_PARQUET_BATCH):
        for record in batch.to_pylist():
            number += 1
            yield Row(path, number, record)
        if progress is not None:
            progress(size * batch.num_rows // total)


def _json_array_rows(path: Path, progress: ProgressCallback | None) -> Iterator[Row]:
    """Elements of a JSON array, each with the line it starts on."""
    raw = path.read_bytes()
    if progress is not None:
        progress(len(raw))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, 1, None, f"not valid UTF-8 (byte {exc.start})") from None
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    line = 1 + text.count("\n", 0, pos)
    while True:
        pos, line = _skip(text, pos, line)
        if pos < len(text) and text[pos] == "]":
            return
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InputError(path, exc.lineno, None, f"broken JSON: {exc.msg}") from None
        if not isinstance(value, dict):
            raise InputError(
                path, line, None, f"expected a JSON object, got {type(value).__name__}"
            )
        yield Row(path, line, value)
        line += text.count("\n", pos, end)
        pos, line = _skip(text, end, line)
        if pos < len(text) and text[pos] == ",":
            pos += 1
        elif pos >= len(text) or text[pos] != "]":
            raise InputError(path, line, None, "broken JSON: expected ',' or ']' between rows")


def _skip(text: str, pos: int, line: int) -> tuple[int, int]:
    """Skip whitespace, counting newlines."""
    while pos < len(text) and text[pos] in " \t\r\n":
        line += text[pos] == "\n"
        pos += 1
    return pos, line


def parse_study_row(row: Row) -> StudyRow:
    """Validate one record of the dataset's layout.

    Args:
        row: a decoded record and where it came from.

    Returns:
        The typed row.

    Raises:
        InputError: naming the first bad field.
    """
    model_a = fields.get_str(row, "model_a", non_empty=True) or ""
    model_b = fields.get_str(row, "model_b", non_empty=True) or ""
    if model_a == model_b:
        raise row.error("model_b", f"same model as model_a ({model_a!r}): nothing is compared")
    winner = fields.get_str(row, "winner") or ""
    if winner not in STUDY_WINNERS:
        raise row.error("winner", f"expected one of {', '.join(STUDY_WINNERS)}, got {winner!r}")
    judge = fields.get_str(row, "judge", non_empty=True) or ""
    if winner == "tie (inconsistent)" and judge not in JUDGE_ALIASES:
        raise row.error("winner", "'tie (inconsistent)' is a judge's label, not a human vote")
    turn = fields.get_int(row, "turn")
    if turn not in (1, 2):
        raise row.error("turn", f"expected 1 or 2, got {turn}")
    return StudyRow(
        question_id=fields.get_int(row, "question_id"),
        model_a=model_a,
        model_b=model_b,
        winner=winner,
        judge=judge,
        turn=turn,
        answer_a=_answer(row, "conversation_a"),
        answer_b=_answer(row, "conversation_b"),
    )


def _answer(row: Row, name: str) -> tuple[str, str]:
    """The model's two answers from a conversation of four messages."""
    messages: Any = row.data.get(name)
    if _well_formed(messages):
        return messages[1]["content"], messages[3]["content"]
    return _answer_error(row, name, messages)


def _well_formed(messages: Any) -> bool:
    """The fast check every good row passes: four messages with the expected roles."""
    return (
        type(messages) is list
        and len(messages) == len(_ROLES)
        and all(
            type(m) is dict and m.get("role") == role and type(m.get("content")) is str
            for m, role in zip(messages, _ROLES)
        )
    )


def _answer_error(row: Row, name: str, messages: Any) -> tuple[str, str]:
    """Raise the error naming the first bad part of a conversation."""
    if name not in row.data:
        raise row.error(name, "missing")
    if not isinstance(messages, list) or len(messages) != len(_ROLES):
        raise row.error(
            name, f"expected a list of 4 messages (both turns), got {_describe(messages)}"
        )
    for index, (message, role) in enumerate(zip(messages, _ROLES)):
        where = f"{name}[{index}]"
        if not isinstance(message, dict):
            raise row.error(
                where, f"expected an object with role and content, got {_describe(message)}"
            )
        if message.get("role") != role:
            raise row.error(f"{where}.role", f"expected {role!r}, got {message.get('role')!r:.40}")
        if not isinstance(message.get("content"), str):
            raise row.error(
                f"{where}.content", f"expected a string, got {_describe(message.get('content'))}"
            )
    raise row.error(name, "malformed conversation")


def _describe(value: Any) -> str:
    """A short description of a value for error messages."""
    kind = "list of " + str(len(value)) if isinstance(value, list) else type(value).__name__
    return kind if value is not None else "null"
