"""The write side of a vote import: answers from conversations, human votes, judge verdicts.

Runs inside an ``ImportSession`` (one transaction). Votes are written in bulk; repeated
keys are detected through the session's claims, so a conflicting repeat names both lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from mtbench_tui.core.clock import now_iso
from mtbench_tui.core.jsonl import InputError, Row
from mtbench_tui.core.models import NEEDS_REFERENCE, HumanPairVote
from mtbench_tui.core.pairwise.choices import derived_group
from mtbench_tui.core.pairwise.votefile import JUDGE_ALIASES, StudyRow
from mtbench_tui.core.store.importing import Claim, DuplicateKeyError, ImportSession
from mtbench_tui.core.store.pair_orient import PairOrienter
from mtbench_tui.core.store.tables import ANSWERS, PAIRS, TableSpec, content_hash
from mtbench_tui.core.store.votes import VoteRepo

VOTES = TableSpec(
    "pair_votes", ("question_id", "model_1", "model_2", "turn", "reviewer"), ("winner",)
)
"""Human votes as the import claims them: a repeat is identical when its winner is."""

_PROBE = "temp.vote_probe"


class Counts(Protocol):
    """What happened to one kind of row (the importer's KindCounts)."""

    read: int
    new: int
    updated: int
    unchanged: int
    repeated: int


@dataclass
class VoteImport:
    """One import's vote state: caches of answers and categories seen so far."""

    session: ImportSession
    counts: Callable[[str], Counts]
    orienter: PairOrienter
    answers: dict[tuple[int, str], tuple[tuple[str, str], str]] = field(default_factory=dict)
    categories: dict[int, str] = field(default_factory=dict)

    def chunk(self, rows: list[tuple[Row, StudyRow]]) -> None:
        """Validate and write one chunk of rows."""
        self._questions(rows)
        self._answers(rows)
        humans = [(r, s) for r, s in rows if not s.is_judge]
        judges = [(r, s) for r, s in rows if s.is_judge]
        if humans:
            self._humans(humans)
        if judges:
            self._judges(judges)

    def _questions(self, rows: list[tuple[Row, StudyRow]]) -> None:
        """Every row's question must exist; remember categories for prompt names."""
        wanted = {s.question_id for _r, s in rows} - set(self.categories)
        if wanted:
            marks = ",".join("?" * len(wanted))
            for qid, category in self.session.db.execute(
                f"SELECT question_id, category FROM questions WHERE question_id IN ({marks})",
                list(wanted),
            ):
                self.categories[qid] = category
        for row, s in rows:
            if s.question_id not in self.categories:
                raise row.error(
                    "question_id", f"question {s.question_id} is not among the imported questions"
                )

    def _answers(self, rows: list[tuple[Row, StudyRow]]) -> None:
        """Check conversations against stored answers; store the answers not yet known."""
        self._load_answers({(s.question_id, m) for _r, s in rows for m in (s.model_a, s.model_b)})
        new: list[dict[str, Any]] = []
        for row, s in rows:
            for side, model, turns in (("a", s.model_a, s.answer_a), ("b", s.model_b, s.answer_b)):
                known = self.answers.get((s.question_id, model))
                if known is None:
                    self.answers[(s.question_id, model)] = (turns, f"{row.path}:{row.line}")
                    new.append(_answer_record(s.question_id, model, turns))
                elif known[0] != turns:
                    raise _answer_error(row, side, model, s.question_id, turns, known)
        if new:
            self.session.insert(ANSWERS, new)
            answers = self.counts("answers")
            answers.read += len(new)
            answers.new += len(new)

    def _load_answers(self, keys: set[tuple[int, str]]) -> None:
        """Fetch stored answers for keys not yet cached."""
        missing = sorted(k for k in keys if k not in self.answers)
        for qid in sorted({q for q, _m in missing}):
            models = [m for q, m in missing if q == qid]
            marks = ",".join("?" * len(models))
            for model, t1, t2 in self.session.db.execute(
                f"SELECT model, turn_1, turn_2 FROM answers WHERE question_id = ? AND model IN ({marks})",
                [qid, *models],
            ):
                self.answers[(qid, model)] = ((t1, t2), "the database")

    def _humans(self, rows: list[tuple[Row, StudyRow]]) -> None:
        """Write human votes: new ones inserted, changed winners updated."""
        counts = self.counts("votes")
        counts.read += len(rows)
        votes = [(_vote_key(s), s.canonical_winner, s.model_a) for _r, s in rows]
        firsts = self._claim(VOTES, [(row, k, w) for (row, _s), (k, w, _a) in zip(rows, votes)])
        counts.repeated += len(rows) - len(firsts)
        unique = [votes[i] for i in firsts]
        self._reviewers({k[4] for k, _w, _a in unique})
        stored = self._stored_winners([k for k, _w, _a in unique])
        now = now_iso()
        new = [(*k, a, w, now, now) for k, w, a in unique if k not in stored]
        changed = [(a, w, now, *k) for k, w, a in unique if stored.get(k, w) != w]
        self.session.db.conn.executemany(
            "INSERT INTO pair_votes (question_id, model_1, model_2, turn, reviewer, shown_a, winner,"
            " origin, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, 'import', ?, ?)",
            new,
        )
        self.session.db.conn.executemany(
            "UPDATE pair_votes SET shown_a = ?, winner = ?, updated = ? WHERE question_id = ?"
            " AND model_1 = ? AND model_2 = ? AND turn = ? AND reviewer = ?",
            changed,
        )
        counts.new += len(new)
        counts.updated += len(changed)
        counts.unchanged += len(unique) - len(new) - len(changed)

    def merge_humans(self, repo: VoteRepo, rows: list[tuple[Row, HumanPairVote]]) -> None:
        """Merge votes exported by mtbench-review; a repeat is identical when its winner is."""
        counts = self.counts("votes")
        counts.read += len(rows)
        claims = [(row, _human_key(h), str(h.vote.winner)) for row, h in rows]
        firsts = self._claim(VOTES, claims)
        counts.repeated += len(rows) - len(firsts)
        for index in firsts:
            outcome = repo.merge(rows[index][1])
            setattr(counts, outcome, getattr(counts, outcome) + 1)

    def _reviewers(self, names: set[str]) -> None:
        """Create new reviewers with the group their name implies; existing ones keep theirs."""
        self.session.db.conn.executemany(
            "INSERT OR IGNORE INTO reviewers (name, created, reviewer_group) VALUES (?, ?, ?)",
            [(n, now_iso(), derived_group(n)) for n in sorted(names)],
        )

    def _stored_winners(self, keys: Sequence[tuple[Any, ...]]) -> dict[tuple[Any, ...], str | None]:
        """The stored winner of each key that has a vote already."""
        db = self.session.db
        db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_PROBE} (q, m1, m2, t, r)")
        db.execute(f"DELETE FROM {_PROBE}")
        db.conn.executemany(f"INSERT INTO {_PROBE} VALUES (?, ?, ?, ?, ?)", keys)
        # A join on the primary key seeks the index; a row-value IN list would scan the table.
        rows = db.execute(
            f"SELECT v.question_id, v.model_1, v.model_2, v.turn, v.reviewer, v.winner"
            f" FROM {_PROBE} p JOIN pair_votes v ON v.question_id = p.q AND v.model_1 = p.m1"
            " AND v.model_2 = p.m2 AND v.turn = p.t AND v.reviewer = p.r"
        )
        return {tuple(r[:5]): r[5] for r in rows}

    def close(self) -> None:
        """Drop this import's scratch table."""
        self.session.db.execute(f"DROP TABLE IF EXISTS {_PROBE}")

    def _judges(self, rows: list[tuple[Row, StudyRow]]) -> None:
        """Write a model judge's combined verdicts into pair_judgments."""
        records = self.orienter.orient([self._verdict_record(s) for _r, s in rows])
        counts = self.counts("pair_judgments")
        counts.read += len(rows)
        for record in records:
            record["content_hash"] = content_hash(record, PAIRS)
        firsts = self._claim(
            PAIRS,
            [
                (row, PAIRS.key_of(rec), rec["content_hash"])
                for (row, _s), rec in zip(rows, records)
            ],
        )
        counts.repeated += len(rows) - len(firsts)
        unique = [records[i] for i in firsts]
        stored = self.session.existing(PAIRS, [PAIRS.key_of(r) for r in unique])
        new = [r for r in unique if PAIRS.key_of(r) not in stored]
        changed = [
            r for r in unique if stored.get(PAIRS.key_of(r), r["content_hash"]) != r["content_hash"]
        ]
        self.session.insert(PAIRS, new)
        self.session.update(PAIRS, changed)
        counts.new += len(new)
        counts.updated += len(changed)
        counts.unchanged += len(unique) - len(new) - len(changed)

    def _verdict_record(self, s: StudyRow) -> dict[str, Any]:
        """A pair_judgments row known only by its combined winner, in the row's own order."""
        family = "pair-math-v1" if self.categories[s.question_id] in NEEDS_REFERENCE else "pair-v2"
        judge = JUDGE_ALIASES[s.judge]
        return {
            "question_id": s.question_id,
            "model_1": s.model_a,
            "model_2": s.model_b,
            "turn": s.turn,
            "judge": judge,
            "judge_model": judge,
            "prompt": family + ("-multi-turn" if s.turn == 2 else ""),
            "winner": s.side_winner,
            "g1_winner": None,
            "g2_winner": None,
            "g1_judgment": "",
            "g2_judgment": "",
            "g1_user_prompt": "",
            "g2_user_prompt": "",
            "tstamp": None,
        }

    def _claim(self, spec: TableSpec, items: list[tuple[Row, tuple[Any, ...], str]]) -> list[int]:
        """Claim keys for this import; a key read before with different content is an error."""
        claims = [Claim(key, value, (str(row.path), row.line)) for row, key, value in items]
        try:
            return self.session.claim(spec, claims)
        except DuplicateKeyError as exc:
            who = "the same reviewer's vote" if spec is VOTES else "the same judge's verdict"
            raise InputError(
                exc.second[0],
                exc.second[1],
                "winner",
                f"conflicts with {who} on this comparison at {exc.first[0]}:{exc.first[1]}",
            ) from None


def _human_key(h: HumanPairVote) -> tuple[int, str, str, int, str]:
    """An exported vote's pair_votes key."""
    v = h.vote
    return (v.question_id, v.model_1, v.model_2, v.turn, v.reviewer)


def _vote_key(s: StudyRow) -> tuple[int, str, str, int, str]:
    """A human vote's pair_votes key."""
    a, b = (s.model_a, s.model_b) if s.model_a < s.model_b else (s.model_b, s.model_a)
    return (s.question_id, a, b, s.turn, s.judge)


def _answer_record(question_id: int, model: str, turns: tuple[str, str]) -> dict[str, Any]:
    """An answers-table row taken from a conversation."""
    record: dict[str, Any] = {
        "question_id": question_id,
        "model": model,
        "answer_id": None,
        "model_id": None,
        "turn_1": turns[0],
        "turn_2": turns[1],
        "length_1": len(turns[0]),
        "length_2": len(turns[1]),
        "tstamp": None,
    }
    record["content_hash"] = content_hash(record, ANSWERS)
    return record


def _answer_error(
    row: Row,
    side: str,
    model: str,
    question_id: int,
    turns: tuple[str, str],
    known: tuple[tuple[str, str], str],
) -> InputError:
    """The error for a conversation that contradicts the answer already known."""
    index = 1 if turns[0] != known[0][0] else 3
    return row.error(
        f"conversation_{side}[{index}].content",
        f"differs from the answer of {model!r} to question {question_id} in {known[1]}",
    )
