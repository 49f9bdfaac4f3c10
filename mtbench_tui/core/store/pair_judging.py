"""Pairwise judging: the comparisons to judge, and each order's reply as it arrives.

A comparison is stored in ``pair_judgments`` once both orders have a reply: whichever
order lands second writes the row, in the same transaction that caches its reply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import sqlite_utils

from mtbench_tui.core.pair_models import PairJudgment, combine_orders
from mtbench_tui.core.store.judge_records import clear_failure, epoch_now, log_request, put_cache
from mtbench_tui.core.store.tables import PAIRS, content_hash
from mtbench_tui.core.workitems import CachedResponse, Outcome, WorkItem

WinnerOf = Callable[[str, str], str]
"""(judge's reply, order 'g1'/'g2') -> winner named by model: model_1, model_2, tie or error."""


class PairToJudge(NamedTuple):
    """A question both models answered, with both answers."""

    question_id: int
    category: str
    question_1: str
    question_2: str
    answer_1: tuple[str, str]
    """model_1's two turns."""
    answer_2: tuple[str, str]
    """model_2's two turns."""


class PairJudgeRepo:
    """Reads for planning comparisons and writes of their replies."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def comparisons(
        self, model_1: str, model_2: str, questions: list[int] | None
    ) -> Iterator[PairToJudge]:
        """Questions both models answered, in question order.

        Args:
            model_1: FastChat's model_1.
            model_2: FastChat's model_2.
            questions: only these question ids (None: all).

        Returns:
            An iterator of comparisons to judge.
        """
        sql = (
            "SELECT q.question_id, q.category, q.turn_1, q.turn_2, a.turn_1, a.turn_2,"
            " b.turn_1, b.turn_2 FROM questions q"
            " JOIN answers a ON a.question_id = q.question_id AND a.model = ?"
            " JOIN answers b ON b.question_id = q.question_id AND b.model = ?"
        )
        params: list[Any] = [model_1, model_2]
        if questions:
            sql += f" WHERE q.question_id IN ({','.join('?' * len(questions))})"
            params += questions
        for row in self.db.execute(sql + " ORDER BY q.question_id", params):
            q, category, q1, q2, a1, a2, b1, b2 = row
            yield PairToJudge(q, category, q1, q2, (a1, a2), (b1, b2))

    def one_sided(self, model_1: str, model_2: str, questions: list[int] | None) -> int:
        """Questions that only one of the two models answered (they can't be compared).

        Args:
            model_1: one model.
            model_2: the other.
            questions: only these question ids (None: all).

        Returns:
            How many.
        """
        sql = "SELECT question_id FROM answers WHERE model IN (?, ?)"
        params: list[Any] = [model_1, model_2]
        if questions:
            sql += f" AND question_id IN ({','.join('?' * len(questions))})"
            params += questions
        sql = f"SELECT COUNT(*) FROM ({sql} GROUP BY question_id HAVING COUNT(*) = 1)"
        return int(self.db.execute(sql, params).fetchone()[0])

    def judged(self, judge: str) -> set[tuple[int, str, str, int]]:
        """Comparisons this judge already has a verdict on, whichever model was model_1.

        Args:
            judge: the judge label.

        Returns:
            (question_id, first model by name, second model by name, turn) for each.
        """
        return {
            (q, lo, hi, t)
            for q, lo, hi, t in self.db.execute(
                "SELECT question_id, min(model_1, model_2), max(model_1, model_2), turn"
                " FROM pair_judgments WHERE judge = ?",
                [judge],
            )
        }

    def record_order(
        self,
        item: WorkItem,
        text: str,
        outcome: Outcome,
        run_id: int | None,
        winner_of: WinnerOf,
        origin: str = "judge-run",
        cache: CachedResponse | None = None,
    ) -> str | None:
        """Keep one order's reply; when the other order has one too, store the comparison.

        Args:
            item: one order of a comparison.
            text: the judge's reply.
            outcome: how the request went.
            run_id: the run it belongs to.
            winner_of: reads the winner out of a reply, given its order.
            origin: judge-run or batch.
            cache: the reply to cache in the same transaction.

        Returns:
            The combined winner when the comparison was stored, else None.
        """
        assert item.pair is not None, "record_order takes one order of a comparison"
        with self.db.atomic():
            # Write first: the transaction then holds the write lock before it reads the sibling.
            if cache is not None:
                put_cache(self.db, item, cache)
            clear_failure(self.db, item)
            log_request(self.db, item, outcome, run_id)
            sibling = self.db.execute(
                "SELECT content FROM judge_cache WHERE cache_key = ?", [item.pair.sibling_key]
            ).fetchone()
            if sibling is None:
                return None
            mine = (winner_of(text, item.order), text, item.user_prompt)
            theirs = (
                winner_of(sibling[0], "g2" if item.order == "g1" else "g1"),
                sibling[0],
                item.pair.sibling_user_prompt,
            )
            g1, g2 = (mine, theirs) if item.order == "g1" else (theirs, mine)
            return self._write_row(item, g1, g2, origin)

    def _write_row(
        self, item: WorkItem, g1: tuple[str, str, str], g2: tuple[str, str, str], origin: str
    ) -> str:
        """Replace this judge's verdict on the comparison (in either model order)."""
        assert item.pair is not None
        record: dict[str, Any] = {
            "question_id": item.question_id,
            "model_1": item.model,
            "model_2": item.pair.model_2,
            "turn": item.turn,
            "judge": item.judge,
            "judge_model": item.judge_model,
            "prompt": item.prompt,
            "winner": combine_orders(g1[0], g2[0]),
            "g1_winner": g1[0],
            "g2_winner": g2[0],
            "g1_judgment": g1[1],
            "g2_judgment": g2[1],
            "g1_user_prompt": g1[2],
            "g2_user_prompt": g2[2],
            "tstamp": epoch_now(),
        }
        record["content_hash"] = content_hash(record, PAIRS)
        record["origin"] = origin
        self.db.execute(
            "DELETE FROM pair_judgments WHERE question_id = ? AND turn = ? AND judge = ?"
            " AND min(model_1, model_2) = min(?, ?) AND max(model_1, model_2) = max(?, ?)",
            [item.question_id, item.turn, item.judge, *(item.model, item.pair.model_2) * 2],
        )
        cols = list(record)
        self.db.execute(
            f"INSERT INTO pair_judgments ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [record[c] for c in cols],
        )
        return str(record["winner"])

    def get(
        self, question_id: int, model_1: str, model_2: str, turn: int, judge: str
    ) -> PairJudgment | None:
        """A judge's verdict on a comparison, in the order it was stored.

        Args:
            question_id: the question.
            model_1: one model.
            model_2: the other (either order finds it).
            turn: 1 or 2.
            judge: the judge label.

        Returns:
            The verdict, or None.
        """
        row = self.db.execute(
            "SELECT question_id, model_1, model_2, turn, judge_model, prompt, g1_winner,"
            " g2_winner, g1_judgment, g2_judgment, tstamp, g1_user_prompt, g2_user_prompt"
            " FROM pair_judgments WHERE question_id = ? AND turn = ? AND judge = ?"
            " AND min(model_1, model_2) = min(?, ?) AND max(model_1, model_2) = max(?, ?)",
            [question_id, turn, judge, model_1, model_2, model_1, model_2],
        ).fetchone()
        return PairJudgment(*row) if row else None
