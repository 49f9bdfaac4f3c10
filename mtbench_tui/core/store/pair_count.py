"""Counting a pair queue without walking its comparisons: a million of them count in milliseconds.

Every two answers to a question make a comparison, so a plain queue is counted per question
(n answers give n(n-1)/2 pairs) rather than pair by pair. Votes and verdicts are counted from
their own tables, which hold far fewer rows than the queue.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from mtbench_tui.core.store.pair_filter import (
    ALIAS,
    ANSWER_PAIRS,
    FROM_ANSWER_PAIRS,
    Columns,
    Comparison,
    PairFilter,
    PairProgress,
    base_conditions,
    comparison_params,
    judge_conditions,
    progress_condition,
    verdict_exists,
    where,
)

VOTE_COLUMNS = Columns("v.question_id", "v.model_1", "v.model_2")

_JUDGED = (
    "(SELECT DISTINCT question_id, min(model_1, model_2) AS model_1,"
    " max(model_1, model_2) AS model_2 FROM pair_judgments WHERE judge = :judge{turn}) c"
    " JOIN questions q ON q.question_id = c.question_id"
)
_HAS_ANSWERS = (
    "EXISTS (SELECT 1 FROM answers a WHERE a.question_id = c.question_id AND a.model = c.model_1)"
    " AND EXISTS (SELECT 1 FROM answers a WHERE a.question_id = c.question_id"
    " AND a.model = c.model_2)"
)


class PairCounter:
    """Counts the comparisons a filter selects, optionally only those before a given one."""

    def __init__(self, db: sqlite_utils.Database, f: PairFilter, params: dict[str, Any]) -> None:
        self.db = db
        self.filter = f
        self.params = params

    def count(self, before: Comparison | None = None, after: Comparison | None = None) -> int:
        """Comparisons matching the filter, optionally only those between two keys.

        Args:
            before: count only comparisons whose key is smaller than this one.
            after: count only comparisons whose key is larger than this one.

        Returns:
            The count. Verdicts are read only within the bounds, so a short forward jump
            is cheap anywhere in a large queue.
        """
        f = self.filter
        if f.judge_driven:
            conds = [*judge_conditions(f, ALIAS), *progress_condition(f, ALIAS)]
            return self._judged(conds, before, after)
        n = self._by_progress(before)
        if after is not None:
            n -= self._by_progress(after) + self._progress_matches(after)
        if f.verdict == "unjudged":
            judged = [verdict_exists(f, ALIAS, "1"), *progress_condition(f, ALIAS)]
            n -= self._judged(judged, before, after)
        return n

    def _scalar(self, sql: str, extra: dict[str, Any] | None = None) -> int:
        """Run a query returning one number."""
        row = self.db.execute(sql, {**self.params, **(extra or {})}).fetchone()
        return int(row[0] or 0)

    def _progress_matches(self, item: Comparison) -> int:
        """1 when a comparison passes the category, model and progress conditions, else 0."""
        f = self.filter
        conds = [
            "q.question_id = :iq AND a1.model = :im1 AND a2.model = :im2",
            *base_conditions(f, ANSWER_PAIRS),
            *progress_condition(f, ANSWER_PAIRS),
        ]
        sql = f"SELECT COUNT(*) FROM {FROM_ANSWER_PAIRS} WHERE {where(conds)}"
        return self._scalar(sql, comparison_params(item, "i"))

    def _judged(
        self, conds: list[str], before: Comparison | None, after: Comparison | None = None
    ) -> int:
        """Judged comparisons matching ``conds`` (and the bounds), counted from the verdicts."""
        turn = " AND turn = :turn" if self.filter.turn else ""
        conds = [_HAS_ANSWERS, *base_conditions(self.filter, ALIAS), *conds]
        extra: dict[str, Any] = {}
        if before is not None:
            conds.append(f"{ALIAS.key()} < (:bq, :bm1, :bm2)")
            extra = comparison_params(before, "b")
        if after is not None:
            conds.append(f"c.question_id >= :aq AND {ALIAS.key()} > (:aq, :am1, :am2)")
            extra.update(comparison_params(after, "a"))
        sql = f"SELECT COUNT(*) FROM {_JUDGED.format(turn=turn)} WHERE {where(conds)}"
        return self._scalar(sql, extra)

    def _by_progress(self, before: Comparison | None) -> int:
        """Comparisons matching the category, model and progress conditions."""
        pairs = self._pairs(before)
        if self.filter.progress == "all":
            return pairs
        voted = self._fully_voted(before)
        return voted if self.filter.progress == "voted" else pairs - voted

    def _pairs(self, before: Comparison | None) -> int:
        """Answer pairs matching the category and model, per question rather than per pair."""
        f = self.filter
        conds = ["q.category = :category"] if f.category else []
        extra: dict[str, Any] = {}
        if before is not None:
            conds.append("a.question_id < :bq")
            extra = comparison_params(before, "b")
        per_question = "has * (n - 1)" if f.model else "n * (n - 1) / 2"
        sql = (
            f"SELECT SUM({per_question}) FROM (SELECT COUNT(*) AS n, SUM(a.model = :model) AS has"
            " FROM answers a JOIN questions q ON q.question_id = a.question_id"
            f" WHERE {where(conds)} GROUP BY a.question_id)"
        )
        total = self._scalar(sql, extra)
        if before is not None:
            within = [
                "q.question_id = :bq",
                "(a1.model, a2.model) < (:bm1, :bm2)",
                *base_conditions(f, ANSWER_PAIRS),
            ]
            sql = f"SELECT COUNT(*) FROM {FROM_ANSWER_PAIRS} WHERE {where(within)}"
            total += self._scalar(sql, extra)
        return total

    def _fully_voted(self, before: Comparison | None) -> int:
        """Comparisons matching category and model that the reviewer voted on every turn."""
        f = self.filter
        conds = ["v.reviewer = :reviewer", "v.winner IS NOT NULL"]
        conds += [*base_conditions(f, VOTE_COLUMNS)]
        if f.turn:
            conds.append("v.turn = :turn")
        extra: dict[str, Any] = {}
        if before is not None:
            conds.append(f"{VOTE_COLUMNS.key()} < (:bq, :bm1, :bm2)")
            extra = comparison_params(before, "b")
        sql = (
            "SELECT COUNT(*) FROM (SELECT 1 FROM pair_votes v"
            f" JOIN questions q ON q.question_id = v.question_id WHERE {where(conds)}"
            " GROUP BY v.question_id, v.model_1, v.model_2 HAVING COUNT(*) = :nturns)"
        )
        return self._scalar(sql, extra)


def count_progress(db: sqlite_utils.Database, f: PairFilter, p: dict[str, Any]) -> PairProgress:
    """Count the reviewer's fully and partly voted comparisons that match a filter.

    Args:
        db: the database.
        f: the filter (its progress condition is ignored).
        p: the filter's parameters.

    Returns:
        The two counts.
    """
    turn = " AND v.turn = :turn" if f.turn else ""
    conds = [*base_conditions(f, ALIAS), *judge_conditions(f, ALIAS)]
    sql = (
        "SELECT COALESCE(SUM(c.n = :nturns), 0), COALESCE(SUM(c.n < :nturns), 0) FROM"
        " (SELECT v.question_id, v.model_1, v.model_2, COUNT(*) AS n FROM pair_votes v"
        f" WHERE v.reviewer = :reviewer AND v.winner IS NOT NULL{turn}"
        " GROUP BY v.question_id, v.model_1, v.model_2) c"
        f" JOIN questions q ON q.question_id = c.question_id WHERE {where(conds)}"
    )
    voted, partial = db.execute(sql, p).fetchone()
    return PairProgress(int(voted), int(partial))
