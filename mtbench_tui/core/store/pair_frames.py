"""Read pair votes, pair verdicts and single scores into numpy arrays over comparisons.

A comparison is (question, model_1 < model_2, turn). Labels are codes: 0 = model_1 wins,
1 = model_2 wins, 2 = tie (a judge's inconsistent verdict counts as a tie), -1 = none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlite_utils

M1, M2, TIE, NONE = 0, 1, 2, -1
_CODES = {"model_1": M1, "model_2": M2, "tie": TIE, "inconsistent": TIE}


@dataclass(frozen=True)
class JudgeColumn:
    """One judge's verdicts over all comparisons (``label`` is -1 where it has none)."""

    judge: str
    kind: str
    """``pair`` for a pairwise judge, ``single`` for winners derived from 1-10 grades."""
    label: np.ndarray
    inconsistent: np.ndarray
    """True where the two answer orders named different winners."""
    first_won: np.ndarray
    """Per comparison: how many of the two order-verdicts the first-shown answer won."""
    decisive_orders: np.ndarray
    """Per comparison: how many order-verdicts named a winner (0 where g1/g2 are unknown)."""
    orders_known: np.ndarray
    """True where both g1 and g2 are stored and neither is an error."""
    orders_differ: np.ndarray
    """True where g1 and g2 are known and name different outcomes (a tie counts)."""


@dataclass(frozen=True)
class PairFrame:
    """Everything the pairwise analysis reads, as arrays over comparisons."""

    question: np.ndarray
    turn: np.ndarray
    category: np.ndarray
    model_1: np.ndarray
    model_2: np.ndarray
    length_1: np.ndarray
    length_2: np.ndarray
    vote_counts: np.ndarray
    """comparisons x 3: how many of the pool's votes chose model_1, model_2, tie."""
    n_reviewers: int
    """Reviewers in the pool with at least one vote."""
    judges: tuple[JudgeColumn, ...]

    @property
    def n_comparisons(self) -> int:
        """How many comparisons the arrays cover."""
        return int(self.question.size)

    @property
    def n_votes(self) -> int:
        """How many votes the pool cast (with a winner)."""
        return int(self.vote_counts.sum())


def load_pair_frame(db: sqlite_utils.Database, humans: str | None = None) -> PairFrame:
    """Read vote counts (optionally only one reviewer group's), pair verdicts and single scores.

    Votes are counted per comparison in SQL (one pass over the votes' index), so a million
    votes never become a million Python rows.

    Args:
        db: the database.
        humans: restrict the human pool to this reviewer group; None pools everyone.

    Returns:
        The arrays. Comparisons are those with a human vote or a pair verdict.
    """
    index: dict[tuple[Any, ...], int] = {}
    counted = _vote_counts(db, humans)
    verdicts = db.execute(
        "SELECT question_id, model_1, model_2, turn, judge, winner, g1_winner, g2_winner"
        " FROM pair_judgments WHERE winner <> 'error' ORDER BY judge"
    ).fetchall()
    for q, m1, m2, t, *_rest in counted:
        index.setdefault((q, m1, m2, t), len(index))
    for q, m1, m2, t, *_rest in verdicts:
        index.setdefault((q, min(m1, m2), max(m1, m2), t), len(index))
    keys = list(index)
    counts = np.zeros((len(keys), 3), dtype=np.int64)
    if counted:
        counts[: len(counted)] = np.array([row[4:] for row in counted], dtype=np.int64)
    info = _comparison_info(db, keys)
    return PairFrame(
        question=np.array([k[0] for k in keys], dtype=np.int64),
        turn=np.array([k[3] for k in keys], dtype=np.int64),
        category=np.array([info[0].get(k[0], "") for k in keys], dtype=object),
        model_1=np.array([k[1] for k in keys], dtype=object),
        model_2=np.array([k[2] for k in keys], dtype=object),
        length_1=np.array([info[1].get((k[0], k[1], k[3]), np.nan) for k in keys], dtype=float),
        length_2=np.array([info[1].get((k[0], k[2], k[3]), np.nan) for k in keys], dtype=float),
        vote_counts=counts,
        n_reviewers=_pool_size(db, humans),
        judges=(*_pair_judges(verdicts, index), *_single_judges(db, keys)),
    )


def _pool(humans: str | None) -> tuple[str, list[Any]]:
    """A WHERE clause (on votes ``v``) keeping one reviewer group's votes."""
    if humans is None:
        return "", []
    return " AND v.reviewer IN (SELECT name FROM reviewers WHERE reviewer_group = ?)", [humans]


def _vote_counts(db: sqlite_utils.Database, humans: str | None) -> list[tuple[Any, ...]]:
    """Per comparison: question, model_1, model_2, turn and the votes for each side and tie.

    One walk over the covering index in key order; SQLite counts each (comparison, winner).
    """
    where, params = _pool(humans)
    rows = db.execute(
        "SELECT v.question_id, v.model_1, v.model_2, v.turn, v.winner, COUNT(*)"
        " FROM pair_votes v INDEXED BY pair_votes_counts"
        f" WHERE v.winner IS NOT NULL{where}"
        " GROUP BY v.question_id, v.model_1, v.model_2, v.turn, v.winner",
        params,
    )
    counted: dict[tuple[Any, ...], list[int]] = {}
    for q, m1, m2, t, winner, n in rows:
        counted.setdefault((q, m1, m2, t), [0, 0, 0])[_CODES[winner]] += int(n)
    return [(*key, *counts) for key, counts in counted.items()]


def _pool_size(db: sqlite_utils.Database, humans: str | None) -> int:
    """Reviewers (of the group) with at least one vote with a winner."""
    where = " AND reviewer_group = ?" if humans is not None else ""
    row = db.execute(
        "SELECT COUNT(*) FROM reviewers r WHERE EXISTS (SELECT 1 FROM pair_votes v"
        f" WHERE v.reviewer = r.name AND v.winner IS NOT NULL){where}",
        [humans] if humans is not None else [],
    ).fetchone()
    return int(row[0])


def _comparison_info(
    db: sqlite_utils.Database, keys: list[tuple[Any, ...]]
) -> tuple[dict[int, str], dict[tuple[int, str, int], float]]:
    """Categories by question, and answer lengths by (question, model, turn)."""
    questions = sorted({k[0] for k in keys})
    categories: dict[int, str] = {}
    lengths: dict[tuple[int, str, int], float] = {}
    for start in range(0, len(questions), 500):
        part = questions[start : start + 500]
        marks = ",".join("?" * len(part))
        categories.update(
            db.execute(
                f"SELECT question_id, category FROM questions WHERE question_id IN ({marks})", part
            ).fetchall()
        )
        for q, model, l1, l2 in db.execute(
            f"SELECT question_id, model, length_1, length_2 FROM answers"
            f" WHERE question_id IN ({marks})",
            part,
        ):
            lengths[(q, model, 1)], lengths[(q, model, 2)] = l1, l2
    return categories, lengths


def _pair_judges(
    rows: list[tuple[Any, ...]], index: dict[tuple[Any, ...], int]
) -> list[JudgeColumn]:
    """One column per pairwise judge, labels turned to the canonical model order."""
    columns: list[JudgeColumn] = []
    n = len(index)
    by_judge: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_judge.setdefault(row[4], []).append(row)
    for judge, mine in by_judge.items():
        label, inconsistent = np.full(n, NONE, np.int8), np.zeros(n, bool)
        first, decisive = np.zeros(n, np.int64), np.zeros(n, np.int64)
        known, differ = np.zeros(n, bool), np.zeros(n, bool)
        for q, m1, m2, t, _j, winner, g1, g2 in mine:
            c = index[(q, min(m1, m2), max(m1, m2), t)]
            code = _CODES[winner]
            label[c] = code if m1 < m2 or code == TIE else 1 - code
            inconsistent[c] = winner == "inconsistent"
            if g1 is not None and g2 is not None and "error" not in (g1, g2):
                known[c], differ[c] = True, g1 != g2
                # g1 shows model_1 first; g2 shows model_2 first (winners named by model).
                first[c] = (g1 == "model_1") + (g2 == "model_2")
                decisive[c] = (g1 != "tie") + (g2 != "tie")
        columns.append(
            JudgeColumn(judge, "pair", label, inconsistent, first, decisive, known, differ)
        )
    return columns


def _single_judges(db: sqlite_utils.Database, keys: list[tuple[Any, ...]]) -> list[JudgeColumn]:
    """Winners derived from single grades (higher score wins, equal is a tie), per judge.

    Only the answers the comparisons name are read (by key, through the scores' index).
    """
    scores: dict[str, dict[tuple[int, str, int], float]] = {}
    for q, model, turn, judge, score in _scores_of(db, keys):
        scores.setdefault(judge, {})[(q, model, turn)] = score
    columns = []
    n = len(keys)
    for judge, mine in sorted(scores.items()):
        label = np.full(n, NONE, np.int8)
        for c, (q, m1, m2, t) in enumerate(keys):
            s1, s2 = mine.get((q, m1, t)), mine.get((q, m2, t))
            if s1 is not None and s2 is not None:
                label[c] = M1 if s1 > s2 else M2 if s2 > s1 else TIE
        if (label != NONE).any():
            zeros, no = np.zeros(n, np.int64), np.zeros(n, bool)
            columns.append(JudgeColumn(judge, "single", label, no, zeros, zeros, no, no))
    return columns


def _scores_of(db: sqlite_utils.Database, keys: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Every judge's score on the answers (question, model) the comparisons name."""
    wanted = sorted({(k[0], m) for k in keys for m in (k[1], k[2])})
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(wanted), 400):
        part = wanted[start : start + 400]
        values = ",".join("(?, ?)" for _ in part)
        rows += db.execute(
            f"WITH wanted(q, m) AS (VALUES {values}) SELECT j.question_id, j.model, j.turn,"
            " j.judge, j.score FROM wanted CROSS JOIN judgments j INDEXED BY judgments_scores"
            " ON j.question_id = wanted.q AND j.model = wanted.m WHERE j.score IS NOT NULL",
            [x for pair in part for x in pair],
        ).fetchall()
    return rows
