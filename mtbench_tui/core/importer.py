"""Import FastChat data into the store: streamed, validated, all-or-nothing, idempotent."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from mtbench_tui.core import loading
from mtbench_tui.core.jsonl import InputError, Row
from mtbench_tui.core.models import (
    Answer,
    HumanPairVote,
    HumanRating,
    Judgment,
    PairJudgment,
    Question,
    ReferenceAnswer,
)
from mtbench_tui.core.pairwise.votefile import read_votes
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.importing import Claim, DuplicateKeyError, ImportSession
from mtbench_tui.core.store.pair_orient import PairOrienter
from mtbench_tui.core.store.tables import (
    ANSWERS,
    JUDGMENTS,
    PAIRS,
    QUESTIONS,
    REFERENCES,
    TableSpec,
    content_hash,
)
from mtbench_tui.core.store.vote_import import VoteImport

CHUNK = 2000
"""Rows validated and written together; bounds memory whatever the file size."""


class ImportProgress(Protocol):
    """Receives progress while files are read."""

    def start_file(self, path: Path, total_bytes: int) -> None:
        """A file is about to be read."""

    def advance(self, nbytes: int) -> None:
        """More bytes of the current file were read."""

    def end_file(self) -> None:
        """The current file is done."""


@dataclass
class KindCounts:
    """What happened to one kind of row."""

    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    repeated: int = 0
    no_verdict: int = 0


@dataclass
class ImportSummary:
    """Counts per kind of row, and the files read."""

    files: list[str] = field(default_factory=list)
    kinds: dict[str, KindCounts] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def kind(self, name: str) -> KindCounts:
        """The counts for one kind, created on first use."""
        return self.kinds.setdefault(name, KindCounts())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "files": self.files,
            "kinds": {k: asdict(v) for k, v in self.kinds.items()},
            "notes": self.notes,
        }

    @property
    def changed(self) -> int:
        """Rows whose stored content this import changed."""
        return sum(k.updated for k in self.kinds.values())


def import_sources(
    store: Store, sources: loading.DataSources, progress: ImportProgress | None = None
) -> ImportSummary:
    """Import every file in ``sources`` in one transaction.

    Args:
        store: the destination.
        sources: the files to read.
        progress: optional progress receiver.

    Returns:
        Counts of new, updated, unchanged and repeated rows per kind.

    Raises:
        InputError: on the first bad row; nothing is written.
    """
    summary = ImportSummary(files=[str(p) for p in sources.all_files()])
    if not summary.files:
        raise InputError("(import)", 0, None, "no FastChat files found to import")
    with store.import_session() as session:
        importer = _Importer(store, session, summary, progress)
        importer.run(sources)
        importer._votes.close()
        if not sources.questions and store.content.counts().questions == 0:
            raise InputError(
                "(import)", 0, None, "no question.jsonl given and the database has no questions"
            )
        session.log(summary.files, summary.to_dict())
    return summary


@dataclass
class _Importer:
    """One import's state: the session, counts and progress."""

    store: Store
    session: ImportSession
    summary: ImportSummary
    progress: ImportProgress | None

    def __post_init__(self) -> None:
        # Pair verdicts and votes keep one model order per comparison across all files.
        self._orienter = PairOrienter(self.store.db)
        self._votes = VoteImport(self.session, self.summary.kind, self._orienter)

    def run(self, sources: loading.DataSources) -> None:
        """Read each kind of file in dependency order."""
        for path in sources.questions:
            self._file(path, "questions", loading.read_questions, self._questions, required=True)
        for path in sources.references:
            self._file(path, "references", loading.read_references, self._references)
        for path in sources.answers:
            self._file(path, "answers", loading.read_answers, self._answers, required=True)
        for path in sources.votes:
            self._file(path, "votes", read_votes, self._votes.chunk)
        for path in sources.judgments:
            self._file(path, "judgments", loading.read_judgments, self._judgments)
        for path in sources.pairs:
            self._file(path, "pair_judgments", loading.read_pairs, self._pairs)

    def _file(
        self,
        path: Path,
        kind: str,
        reader: Callable[..., Iterator[tuple[Row, Any]]],
        handle: Callable[[list[tuple[Row, Any]]], None],
        required: bool = False,
    ) -> None:
        """Stream one file through its handler in chunks."""
        if self.progress:
            self.progress.start_file(path, path.stat().st_size)
        before = sum(k.read for k in self.summary.kinds.values())
        rows = reader(path, self.progress.advance if self.progress else None)
        for chunk in _chunks(rows, CHUNK):
            handle(chunk)
        if self.progress:
            self.progress.end_file()
        if sum(k.read for k in self.summary.kinds.values()) == before:
            if required:
                raise InputError(
                    path, 1, None, f"file is empty: a {kind} file needs at least one row"
                )
            self.summary.notes.append(f"{path}: empty, nothing imported")

    def _write(self, spec: TableSpec, kind: str, rows: list[tuple[Row, dict[str, Any]]]) -> None:
        """Claim keys, then insert new rows and update changed ones."""
        counts = self.summary.kind(kind)
        counts.read += len(rows)
        keys = [spec.key_of(record) for _row, record in rows]
        claims = []
        for (row, record), key in zip(rows, keys):
            record["content_hash"] = content_hash(record, spec)
            claims.append(Claim(key, record["content_hash"], (str(row.path), row.line)))
        try:
            firsts = self.session.claim(spec, claims)
        except DuplicateKeyError as exc:
            raise InputError(
                exc.second[0],
                exc.second[1],
                _key_field(spec),
                f"same key {_show_key(spec, exc.key)} as {exc.first[0]}:{exc.first[1]}"
                " but different content",
            ) from None
        counts.repeated += len(rows) - len(firsts)
        unique = [(keys[i], rows[i][1]) for i in firsts]
        stored = self.session.existing(spec, [k for k, _r in unique])
        new = [r for k, r in unique if k not in stored]
        changed = [r for k, r in unique if k in stored and stored[k] != r["content_hash"]]
        self.session.insert(spec, new)
        self.session.update(spec, changed)
        counts.new += len(new)
        counts.updated += len(changed)
        counts.unchanged += len(unique) - len(new) - len(changed)

    def _require_questions(self, rows: Iterable[tuple[Row, Any]]) -> None:
        """Every row must refer to a known question."""
        rows = list(rows)
        known = self.session.present(
            "questions", ("question_id",), [(m.question_id,) for _r, m in rows]
        )
        for row, model in rows:
            if (model.question_id,) not in known:
                raise row.error(
                    "question_id",
                    f"question {model.question_id} is not among the imported questions",
                )

    def _require_answers(self, rows: list[tuple[Row, Any]]) -> None:
        """Every row must refer to a known question answered by a known model."""
        self._require_questions(rows)
        keys = [(m.question_id, m.model) for _r, m in rows]
        known = self.session.present("answers", ("question_id", "model"), keys)
        models = {m for _q, m in known}
        for row, item in rows:
            if (item.question_id, item.model) in known:
                continue
            if item.model not in models and not self.session.present(
                "answers", ("model",), [(item.model,)]
            ):
                raise row.error(
                    "model", f"unknown model {item.model!r}: no model_answer file for it"
                )
            raise row.error(
                "model", f"model {item.model!r} has no answer to question {item.question_id}"
            )

    def _questions(self, chunk: list[tuple[Row, Question]]) -> None:
        """Write questions."""
        self._write(QUESTIONS, "questions", [(row, _question_record(q)) for row, q in chunk])

    def _references(self, chunk: list[tuple[Row, ReferenceAnswer]]) -> None:
        """Write reference answers."""
        self._require_questions(chunk)
        records = [
            (
                row,
                {
                    "question_id": r.question_id,
                    "source": r.source,
                    "turn_1": r.turns[0],
                    "turn_2": r.turns[1],
                },
            )
            for row, r in chunk
        ]
        self._write(REFERENCES, "references", records)

    def _answers(self, chunk: list[tuple[Row, Answer]]) -> None:
        """Write model answers."""
        self._require_questions(chunk)
        self._write(ANSWERS, "answers", [(row, _answer_record(a)) for row, a in chunk])

    def _judgments(self, chunk: list[tuple[Row, Judgment | HumanRating]]) -> None:
        """Write judge verdicts; human ratings in the same file go to the ratings table."""
        verdicts = [(row, j) for row, j in chunk if isinstance(j, Judgment)]
        humans = [(row, h) for row, h in chunk if isinstance(h, HumanRating)]
        if verdicts:
            self._require_answers(verdicts)
            self._write(JUDGMENTS, "judgments", [(row, _judgment_record(j)) for row, j in verdicts])
            self.summary.kind("judgments").no_verdict += sum(
                1 for _r, j in verdicts if j.score is None
            )
        if humans:
            self._human(humans)

    def _human(self, rows: list[tuple[Row, HumanRating]]) -> None:
        """Merge human ratings exported by mtbench-review."""
        self._require_answers([(row, h.rating) for row, h in rows])
        counts = self.summary.kind("ratings")
        seen: dict[tuple[Any, ...], tuple[str, int]] = {}
        for row, human in rows:
            r = human.rating
            key = (r.question_id, r.model, r.turn, r.reviewer)
            if key in seen:
                raise row.error(
                    "judge", f"rating {key} appears twice (first at line {seen[key][1]})"
                )
            seen[key] = (str(row.path), row.line)
            counts.read += 1
            outcome = self.store.ratings.merge(human)
            setattr(counts, outcome, getattr(counts, outcome) + 1)

    def _pairs(self, chunk: list[tuple[Row, PairJudgment | HumanPairVote]]) -> None:
        """Write pairwise verdicts (both models must have answered the question)."""
        verdicts = [(row, p) for row, p in chunk if isinstance(p, PairJudgment)]
        humans = [(row, h) for row, h in chunk if isinstance(h, HumanPairVote)]
        sides = [(row, p.question_id, p.model_1, p.model_2) for row, p in verdicts]
        sides += [(row, h.vote.question_id, h.vote.model_1, h.vote.model_2) for row, h in humans]
        self._require_answers([(row, _Side(q, m1)) for row, q, m1, _m2 in sides])
        self._require_answers([(row, _Side(q, m2)) for row, q, _m1, m2 in sides])
        if verdicts:
            records = self._orienter.orient([_pair_record(p) for _row, p in verdicts])
            rows = [(row, record) for (row, _p), record in zip(verdicts, records)]
            self._write(PAIRS, "pair_judgments", rows)
        if humans:
            self._votes.merge_humans(self.store.votes, humans)


@dataclass(frozen=True)
class _Side:
    """One model of a pairwise verdict, shaped like an answer key for the parent check."""

    question_id: int
    model: str


def _pair_record(p: PairJudgment) -> dict[str, Any]:
    """A pair_judgments-table row; a pairwise judge is known by its model."""
    return {
        "question_id": p.question_id,
        "model_1": p.model_1,
        "model_2": p.model_2,
        "turn": p.turn,
        "judge": p.judge_model,
        "judge_model": p.judge_model,
        "prompt": p.prompt,
        "winner": p.winner,
        "g1_winner": p.g1_winner,
        "g2_winner": p.g2_winner,
        "g1_judgment": p.g1_judgment,
        "g2_judgment": p.g2_judgment,
        "g1_user_prompt": p.g1_user_prompt,
        "g2_user_prompt": p.g2_user_prompt,
        "tstamp": p.tstamp,
    }


def _question_record(q: Question) -> dict[str, Any]:
    """A questions-table row."""
    reference = (
        json.dumps(list(q.reference), ensure_ascii=False) if q.reference is not None else None
    )
    return {
        "question_id": q.question_id,
        "category": q.category,
        "turn_1": q.turns[0],
        "turn_2": q.turns[1],
        "reference": reference,
    }


def _answer_record(a: Answer) -> dict[str, Any]:
    """An answers-table row; lengths are stored for the verbosity audit."""
    return {
        "question_id": a.question_id,
        "model": a.model,
        "answer_id": a.answer_id,
        "model_id": a.model_id,
        "turn_1": a.turns[0],
        "turn_2": a.turns[1],
        "length_1": len(a.turns[0]),
        "length_2": len(a.turns[1]),
        "tstamp": a.tstamp,
    }


def _judgment_record(j: Judgment, origin: str = "import") -> dict[str, Any]:
    """A judgments-table row."""
    return {
        "question_id": j.question_id,
        "model": j.model,
        "turn": j.turn,
        "judge": j.judge,
        "judge_model": j.judge_model,
        "prompt": j.prompt,
        "score": j.score,
        "judgment": j.judgment,
        "user_prompt": j.user_prompt,
        "tstamp": j.tstamp,
        "origin": origin,
    }


def _key_field(spec: TableSpec) -> str:
    """The field to blame for a duplicate key."""
    return "question_id" if spec.key == ("question_id",) else "+".join(spec.key)


def _show_key(spec: TableSpec, key: tuple[Any, ...]) -> str:
    """A key as ``question_id=81, model=x``."""
    return ", ".join(f"{c}={v!r}" for c, v in zip(spec.key, key))


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Group an iterable into lists of at most ``size``."""
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk
