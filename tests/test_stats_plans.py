"""The statistics' queries start from the ratings and use indexes, whatever sqlite_stat1 says."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mtbench_tui.core.store import Store


def plan(store: Store, sql: str, params: dict[str, object]) -> list[str]:
    """SQLite's plan for a query, one step per line."""
    return [row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql, params)]


def judge_human_sql(store: Store) -> str:
    """The SQL text of the report's main read (taken from the live cursor)."""
    traced: list[str] = []
    store.db.conn.set_trace_callback(traced.append)
    list(store.analysis.judge_human_columns("gpt-4/mtr-v1", None, 10))
    store.db.conn.set_trace_callback(None)
    return next(s for s in traced if "FROM ratings r" in s)


@pytest.mark.parametrize("analyzed", [False, True])
def test_the_report_reads_ratings_first_through_covering_indexes(
    rated_store: Store, analyzed: bool
) -> None:
    if analyzed:
        rated_store.db.execute("ANALYZE")
    else:
        # Imports run ANALYZE; forget its statistics to see the plan a database without them gets.
        rated_store.db.execute("DELETE FROM sqlite_stat1")
        rated_store.db.execute("ANALYZE sqlite_schema")
    steps = plan(rated_store, judge_human_sql(rated_store), {})
    # With table statistics of a tiny database SQLite may add a Bloom filter (and read the
    # few verdict rows); the join still starts from the ratings, by key.
    # The first page's rows are gathered from a subquery (a co-routine) that walks the index.
    steps = [s for s in steps if not s.startswith("BLOOM FILTER")]
    assert steps[0] == "CO-ROUTINE (subquery-1)"
    assert steps[1] == "SCAN r USING COVERING INDEX ratings_scores"
    assert steps[2].startswith("SEARCH j USING") and "INDEX judgments_scores" in steps[2]
    if not analyzed:
        assert steps[2].startswith("SEARCH j USING COVERING INDEX judgments_scores")
    assert steps[3].startswith("SEARCH a USING COVERING INDEX answers_lengths")
    assert not any("TEMP B-TREE" in s for s in steps)  # key order comes from the index


def test_a_later_page_starts_at_its_key_in_the_index(rated_store: Store) -> None:
    traced: list[str] = []
    rated_store.db.conn.set_trace_callback(traced.append)
    pages = list(rated_store.analysis.judge_human_columns("gpt-4/mtr-v1", None, 50))
    rated_store.db.conn.set_trace_callback(None)
    assert [p[0].size for p in pages] == [50, 50, 50, 40]
    later = [s for s in traced if "FROM ratings r" in s][1]
    steps = [row[3] for row in rated_store.db.execute("EXPLAIN QUERY PLAN " + later)]
    assert steps[1] == (
        "SEARCH r USING COVERING INDEX ratings_scores ((question_id,model,turn,reviewer)>(?,?,?,?))"
    )


def test_no_verdict_rates_read_an_index_not_the_table(rated_store: Store) -> None:
    sql = (
        "SELECT judge, judge_model, prompt, COUNT(*), COUNT(*) - COUNT(score)"
        " FROM judgments INDEXED BY judgments_verdicts"
        " GROUP BY judge, prompt, judge_model ORDER BY judge, prompt, judge_model"
    )
    assert plan(rated_store, sql, {}) == ["SCAN judgments USING COVERING INDEX judgments_verdicts"]
    counts = rated_store.analysis.no_verdict_rates()
    assert sum(c.n for c in counts) == 96 and sum(c.missing for c in counts) == 1


def test_an_older_database_gets_the_indexes(tmp_path: Path, rated_store: Store) -> None:
    db = tmp_path / "old.db"
    source = sqlite3.connect(rated_store.path)
    source.execute(f"VACUUM INTO '{db}'")
    source.close()
    old = sqlite3.connect(db)
    old.executescript(
        "DROP INDEX ratings_scores; DROP INDEX answers_lengths; DROP INDEX judgments_verdicts;"
        " DROP INDEX judgments_scores; DROP INDEX pair_votes_counts;"
        " CREATE INDEX judgments_judge ON judgments(judge, prompt);"
        " DELETE FROM _sqlite_migrations WHERE name = '0007_scale_indexes';"
    )
    old.close()
    store = Store.open(db)
    names = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {
        "ratings_scores",
        "answers_lengths",
        "judgments_verdicts",
        "judgments_scores",
        "pair_votes_counts",
    } <= names
    assert "judgments_judge" not in names
    pages = list(store.analysis.judge_human_columns("gpt-4/mtr-v1", None, 1000))
    assert sum(p[0].size for p in pages) == 190  # 192 ratings, one turn without a verdict
    store.close()


@pytest.mark.parametrize("humans", [None, "expert"])
def test_pairwise_votes_are_counted_from_their_index(store: Store, humans: str | None) -> None:
    from mtbench_tui.core.store import pair_frames

    traced: list[str] = []
    store.db.conn.set_trace_callback(traced.append)
    pair_frames.load_pair_frame(store.db, humans)
    store.db.conn.set_trace_callback(None)
    sql = next(s for s in traced if "FROM pair_votes v INDEXED BY" in s)
    steps = plan(store, sql, {})
    assert steps[0] == "SCAN v USING COVERING INDEX pair_votes_counts"
    assert not any("TEMP B-TREE" in s for s in steps)  # counted in key order, streaming
