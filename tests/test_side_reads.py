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
    ha, hb = a.rated_twice, b.rated_twice
    arrays = ("question_id", "model", "turn", "first", "second")
    return (
        all(np.array_equal(getattr(ha, f), getattr(hb, f)) for f in arrays)
        and ha.reviewers == hb.reviewers
        and (a.activity, a.counts, a.no_verdict_rates) == (b.activity, b.counts, b.no_verdict_rates)
    )


def test_second_connection_reads_what_the_first_would(rated_store: Store) -> None:
    assert rated_store.path is not None  # so the reads go to a second connection
    found = start_side_reads(rated_store)()
    assert same(found, read_side(rated_store))
    assert found.rated_twice.n > 0 and found.counts.judgments == 96


def test_an_in_memory_store_reads_in_place() -> None:
    store = Store.open(":memory:")
    import_sources(store, loading.discover(demo_data_dir()))
    import_sources(store, loading.DataSources(judgments=[DEMO_RATINGS]))
    found = start_side_reads(store)()
    assert same(found, read_side(store)) and found.rated_twice.n > 0
    store.close()


def test_the_reviewer_pairs_come_before_the_other_reads(rated_store: Store) -> None:
    job = start_side_reads(rated_store)
    early = job.rated_twice()
    assert early is job().rated_twice  # the same object, handed over before the rest
    assert early.n == read_side(rated_store).rated_twice.n > 0


def test_a_failed_read_is_raised_not_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "gone.db"
    Store.open(path).close()
    store = Store.open_readonly(path)
    path.unlink()  # the second connection cannot open the file: the worker fails at once
    job = start_side_reads(store)
    with pytest.raises(DatabaseRefused, match="no such database"):
        job.rated_twice()
    store.close()
