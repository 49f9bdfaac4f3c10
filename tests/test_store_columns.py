"""Column pages gathered inside SQLite equal the rows a plain SELECT gives, whatever the text."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import sqlite_utils

from mtbench_tui.core.analysis.frames import RatingPairs, join_pages
from mtbench_tui.core.analysis.reviewer_pairs import HumanPairs
from mtbench_tui.core.store import Store, columns
from mtbench_tui.core.store.columns import Codes, Column, column_pages

HOSTILE = [
    "plain",
    "with,comma",
    'quote"and\\backslash',
    "unit\x1fseparator",
    "new\nline",
    "[red]markup[/red]",
    '["json", "array"]',
    '=HYPERLINK("x")',
    "\u202eright-to-left",
    "emoji 🧪",
    "nul\x00byte",
    "\x1b[31mansi",
    "line\u2028separator",
    "",
    "null",
    "nan",
]

EXTREMES = [float("inf"), float("-inf"), -0.0, 5e-324, 1.7976931348623157e308]
"""Reals at the edges of what a double holds: SQLite prints them as Inf, -0, 4.94e-324."""

COLUMNS = (
    Column("k1", "int"),
    Column("k2", "text"),
    Column("k3", "int"),
    Column("name", "text"),
    Column("score", "float"),
    Column("weight", "float"),
)


@pytest.fixture
def table(tmp_path: Path) -> sqlite_utils.Database:
    """A keyed table of hostile text, NULLs and floats that 15 digits don't give back."""
    rnd = random.Random(7)
    db = sqlite_utils.Database(tmp_path / "columns.db")
    rows = []
    for k1 in range(12):
        for k2 in rnd.sample(HOSTILE, 5):
            for k3 in (1, 2):
                score = rnd.choice(
                    [None, 0.1, 1 / 3, -2.5, 7.0, 1e-300, 9.999999999999998, *EXTREMES]
                )
                rows.append(
                    {
                        "k1": k1,
                        "k2": k2,
                        "k3": k3,
                        "name": rnd.choice(HOSTILE),
                        "score": score,
                        "weight": rnd.random() * 10,
                    }
                )
    rnd.shuffle(rows)  # stored out of key order: the pages must come back sorted anyway
    db["t"].insert_all(rows, pk=("k1", "k2", "k3"))
    return db


def select(db: sqlite_utils.Database) -> list[tuple[object, ...]]:
    """The rows as a plain SELECT returns them, in key order."""
    sql = "SELECT k1, k2, k3, name, score, weight FROM t WHERE k1 >= :low ORDER BY k1, k2, k3"
    return list(db.execute(sql, {"low": 2}).fetchall())


def rows_of(pages: list[list[object]]) -> list[tuple[object, ...]]:
    """Column pages back into row tuples (NaN back to None)."""
    out: list[tuple[object, ...]] = []
    for page in pages:
        decoded = [
            [c.values[i] for i in c.codes.tolist()] if isinstance(c, Codes) else c.tolist()
            for c in page
        ]
        for row in zip(*decoded):
            out.append(tuple(None if isinstance(v, float) and v != v else v for v in row))
    return out


@pytest.mark.parametrize("page_size", [1, 3, 7, 50, 10_000])
@pytest.mark.parametrize("aggregate", [True, False])
def test_pages_hold_every_row_once_in_key_order(
    table: sqlite_utils.Database, page_size: int, aggregate: bool
) -> None:
    pages = list(
        column_pages(table, "FROM t WHERE k1 >= :low", COLUMNS, 3, {"low": 2}, page_size, aggregate)
    )
    expected = select(table)
    assert rows_of(pages) == expected  # floats bit for bit, text verbatim, NULL kept in place
    assert all(len(p[0]) <= page_size for p in pages)
    assert len(pages) == -(-len(expected) // page_size)


def test_an_empty_result_is_one_empty_page(table: sqlite_utils.Database) -> None:
    for aggregate in (True, False):
        pages = list(column_pages(table, "FROM t WHERE k1 < 0", COLUMNS, 3, {}, 10, aggregate))
        assert len(pages) == 1 and all(
            len(c.codes if isinstance(c, Codes) else c) == 0 for c in pages[0]
        )
        joined = join_pages(pages, len(COLUMNS))
        assert joined[0].dtype == np.int64 and joined[4].dtype == np.float64
        assert joined[1].values == ()


def test_joined_text_is_coded_among_all_pages_values(table: sqlite_utils.Database) -> None:
    pages = list(column_pages(table, "FROM t WHERE 1", COLUMNS, 3, {}, 4, True))
    name = join_pages(pages, len(COLUMNS))[3]
    assert list(name.values) == sorted(set(name.values))
    expected = [r[0] for r in table.execute("SELECT name FROM t ORDER BY k1, k2, k3")]
    assert [name.values[i] for i in name.codes.tolist()] == expected


def test_this_sqlite_gathers_pages(table: sqlite_utils.Database) -> None:
    # The fast path is what runs here; the row path is only for an SQLite without JSON.
    assert columns.has_json(table.conn)


def test_the_report_reads_the_same_pairs_either_way(
    rated_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    gathered = RatingPairs.load(rated_store, "gpt-4/mtr-v1")
    humans = HumanPairs.load(rated_store)
    monkeypatch.setattr(columns, "has_json", lambda conn: False)
    by_rows = RatingPairs.load(rated_store, "gpt-4/mtr-v1")
    humans_by_rows = HumanPairs.load(rated_store)
    assert gathered.n == by_rows.n == 190  # 192 ratings, one turn without a verdict
    for name in ("question_id", "model", "turn", "reviewer", "human", "judge", "category"):
        assert np.array_equal(getattr(gathered, name), getattr(by_rows, name)), name
    assert np.array_equal(gathered.length, by_rows.length, equal_nan=True)
    assert humans.n == humans_by_rows.n > 0
    assert np.array_equal(humans.first, humans_by_rows.first)
    assert np.array_equal(humans.model, humans_by_rows.model)
    assert humans.reviewers == humans_by_rows.reviewers
