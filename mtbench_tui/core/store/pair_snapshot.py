"""The disagreement queue: the reviewer's voted comparisons against the judge, frozen in order."""

from __future__ import annotations

import itertools
from typing import Any

import sqlite_utils

from mtbench_tui.core.store.pair_filter import (
    ALIAS,
    Columns,
    Comparison,
    PairEntry,
    PairFilter,
    PairProgress,
    base_conditions,
    comparison_params,
    judge_conditions,
    needs_vote,
    params,
    progress_condition,
    where,
)

_snapshot_ids = itertools.count(1)

_JUDGE = "COALESCE(j1.winner, j2.winner)"
"""The judge's verdict on the vote's turn, stored in either model order (one of j1, j2)."""

_JUDGE_WINNER = (
    f"CASE WHEN {_JUDGE} IN ('tie', 'inconsistent') THEN 'tie'"
    " WHEN j1.winner IS NOT NULL THEN j1.winner"
    " WHEN j2.winner = 'model_1' THEN 'model_2' ELSE 'model_1' END"
)
"""The judge's verdict in the vote's canonical terms; an inconsistent verdict counts as a tie,
as in FastChat's agreement."""

DISAGREEMENT = (
    f"CASE WHEN ({_JUDGE_WINNER}) = v.winner THEN 0"
    f" WHEN 'tie' IN (({_JUDGE_WINNER}), v.winner) THEN 1 ELSE 2 END"
)
"""0 when vote and verdict agree, 1 for a tie against a winner, 2 for opposite winners."""

VOTE_VERDICTS = (
    "pair_votes v LEFT JOIN pair_judgments j1 ON j1.question_id = v.question_id"
    " AND j1.model_1 = v.model_1 AND j1.model_2 = v.model_2 AND j1.turn = v.turn"
    " AND j1.judge = :judge LEFT JOIN pair_judgments j2 ON j2.question_id = v.question_id"
    " AND j2.model_1 = v.model_2 AND j2.model_2 = v.model_1 AND j2.turn = v.turn"
    " AND j2.judge = :judge"
)
"""Each vote beside the judge's verdict on its turn: two primary-key lookups, one per order."""

_VOTED_AGAINST_JUDGE = (
    f"SELECT v.question_id, v.model_1, v.model_2, MAX({{dis}}) AS disagreement FROM {VOTE_VERDICTS}"
    f" WHERE v.reviewer = :reviewer AND v.winner IS NOT NULL AND {_JUDGE} <> 'error'{{turn}}"
    " GROUP BY v.question_id, v.model_1, v.model_2"
)

SNAPSHOT = Columns("s.question_id", "s.model_1", "s.model_2")


class DisagreementQueue:
    """Comparisons the reviewer voted on that the judge also judged, materialised in a temporary
    table so the order holds while the reviewer revises votes.

    Ordered by disagreement, largest first, when ``by_disagreement``; else by key. With
    ``differs`` only comparisons where a vote and the verdict differ are kept.
    """

    def __init__(
        self, db: sqlite_utils.Database, f: PairFilter, reviewer: str, judge: str | None
    ) -> None:
        self.db = db
        self.filter = f
        self.params = params(f, reviewer, judge)
        self.table = f"temp.pair_snapshot_{next(_snapshot_ids)}"
        self._needs = needs_vote(f, SNAPSHOT)
        self._build()

    def _build(self) -> None:
        """Materialise the ordered comparisons."""
        f = self.filter
        turn = " AND v.turn = :turn" if f.turn else ""
        voted = _VOTED_AGAINST_JUDGE.format(dis=DISAGREEMENT, turn=turn)
        conds = [*base_conditions(f, ALIAS), *judge_conditions(f, ALIAS)]
        conds += progress_condition(f, ALIAS)
        if f.differs:
            conds.append("c.disagreement > 0")
        order = "c.disagreement DESC, " if f.by_disagreement else ""
        self.db.execute(f"DROP TABLE IF EXISTS {self.table}")
        self.db.execute(
            f"CREATE TABLE {self.table} (pos INTEGER PRIMARY KEY, question_id INTEGER,"
            " model_1 TEXT, model_2 TEXT, disagreement INTEGER)"
        )
        self.db.execute(
            f"CREATE INDEX {self.table}_key ON {self.table.split('.')[1]}"
            " (question_id, model_1, model_2)"
        )
        self.db.execute(
            f"INSERT INTO {self.table} (question_id, model_1, model_2, disagreement)"
            f" SELECT c.question_id, c.model_1, c.model_2, c.disagreement FROM ({voted}) c"
            f" JOIN questions q ON q.question_id = c.question_id WHERE {where(conds)}"
            f" ORDER BY {order}c.question_id, c.model_1, c.model_2",
            self.params,
        )

    def _at(self, condition: str, p: dict[str, Any], desc: bool = False) -> PairEntry | None:
        """The snapshot row matching a condition on ``s`` (first by position, or last)."""
        o = " DESC" if desc else ""
        row = self.db.execute(
            f"SELECT s.question_id, s.model_1, s.model_2, s.pos, s.disagreement FROM {self.table} s"
            f" WHERE {condition} ORDER BY s.pos{o} LIMIT 1",
            {**self.params, **p},
        ).fetchone()
        return PairEntry(Comparison(*row[:3]), row[3], row[4]) if row else None

    def count(self) -> int:
        """Comparisons in the snapshot."""
        return int(self.db.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0])

    def first(self) -> PairEntry | None:
        """The comparison with the largest disagreement."""
        return self._at("1", {})

    def after(self, entry: PairEntry) -> PairEntry | None:
        """The next comparison."""
        return self._at("s.pos > :p", {"p": entry.position})

    def before(self, entry: PairEntry) -> PairEntry | None:
        """The previous comparison."""
        return self._at("s.pos < :p", {"p": entry.position}, desc=True)

    def next_needing_vote(self, entry: PairEntry | None) -> PairEntry | None:
        """The next comparison with a turn left to vote on (wrapping round), else None."""
        if entry is not None:
            found = self._at(f"s.pos > :p AND {self._needs}", {"p": entry.position})
            if found is not None:
                return found
        found = self._at(self._needs, {})
        if found is None or (entry is not None and found.item == entry.item):
            return None
        return found

    def find(self, question_id: int) -> PairEntry | None:
        """The first snapshot comparison of a question."""
        return self._at("s.question_id = :fq", {"fq": question_id})

    def locate(self, item: Comparison) -> PairEntry | None:
        """A comparison's entry, or None when it isn't in the snapshot."""
        condition = "s.question_id = :q AND s.model_1 = :m1 AND s.model_2 = :m2"
        return self._at(condition, comparison_params(item))

    def progress(self) -> PairProgress:
        """Fully and partly voted comparisons in the snapshot (a vote can be undone since)."""
        turn = " AND v.turn = :turn" if self.filter.turn else ""
        voted = (
            "SELECT COUNT(*) FROM pair_votes v WHERE v.question_id = s.question_id"
            " AND v.model_1 = s.model_1 AND v.model_2 = s.model_2 AND v.reviewer = :reviewer"
            f" AND v.winner IS NOT NULL{turn}"
        )
        row = self.db.execute(
            "SELECT COALESCE(SUM(n = :nturns), 0), COALESCE(SUM(n > 0 AND n < :nturns), 0)"
            f" FROM (SELECT ({voted}) AS n FROM {self.table} s)",
            self.params,
        ).fetchone()
        return PairProgress(int(row[0]), int(row[1]))

    def close(self) -> None:
        """Drop the snapshot table."""
        self.db.execute(f"DROP TABLE IF EXISTS {self.table}")
