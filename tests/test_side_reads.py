"""The report's side reads on a second connection equal the same reads on the first."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mtbench_tui.core import loading
from mtbench_tui.core.analysis.side_reads import SideReads, read_side, start_side_reads
from mtbench_tui.core.importer import import_sources
from mtbench_tui.core.paths import demo_data_dir
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.database import DatabaseRefused
from tests.conftest import DEMO_RATINGS


def same(a: SideReads, b: SideReads) -> bool:
    """Field by field, arrays by value."""
    ha, hb = a.ratings.rated_twice, b.ratings.rated_twice
    arrays = ("question_id", "model", "turn", "first", "second")
    return (
        all(np.array_equal(getattr(ha, f), getattr(hb, f)) for f in arrays)
        and ha.reviewers == hb.reviewers
        and a.ratings.counts == b.ratings.counts
        and (a.activity, a.counts, a.no_verdict_rates) == (b.activity, b.counts, b.no_verdict_rates)
    )


def test_second_connection_reads_what_the_first_would(rated_store: Store) -> None:
    assert rated_store.path is not None  # so the reads go to a second connection
    found = start_side_reads(rated_store)()
    assert same(found, read_side(rated_store))
    assert found.ratings.rated_twice.n > 0 and found.counts.judgments == 96
    # Counted from the same walk and the no-verdict rates, as the store counts them alone.
    assert found.ratings.counts == rated_store.analysis.rating_counts()
    assert found.counts == rated_store.content.counts()
    assert found.counts.no_verdict == 1


def test_an_in_memory_store_reads_in_place() -> None:
    store = Store.open(":memory:")
    import_sources(store, loading.discover(demo_data_dir()))
    import_sources(store, loading.DataSources(judgments=[DEMO_RATINGS]))
    found = start_side_reads(store)()
    assert same(found, read_side(store)) and found.ratings.rated_twice.n > 0
    store.close()


def test_the_reviewer_pairs_come_before_the_other_reads(rated_store: Store) -> None:
    job = start_side_reads(rated_store)
    early = job.ratings()
    assert early is job().ratings  # the same object, handed over before the rest
    assert early.rated_twice.n == read_side(rated_store).ratings.rated_twice.n > 0


def test_a_failed_read_is_raised_not_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "gone.db"
    Store.open(path).close()
    store = Store.open_readonly(path)
    path.unlink()  # the second connection cannot open the file: the worker fails at once
    job = start_side_reads(store)
    with pytest.raises(DatabaseRefused, match="no such database"):
        job.ratings()
    store.close()
