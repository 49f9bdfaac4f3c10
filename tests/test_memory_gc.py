"""The report holds off the cyclic collector while it builds, and hands it back as it found it."""

from __future__ import annotations

import gc
import threading

import pytest

from mtbench_tui.core.analysis.report import build_report
from mtbench_tui.core.analysis.settings import Settings
from mtbench_tui.core.stats.memory import paused_gc
from mtbench_tui.core.store import Store


@pytest.fixture(autouse=True)
def collector_on() -> None:
    """Every test starts (and ends) with the collector on."""
    gc.enable()
    yield
    gc.enable()


def test_pauses_nest_and_the_last_one_switches_it_back_on() -> None:
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_an_error_inside_still_switches_it_back_on() -> None:
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_from_two_threads() -> None:
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with paused_gc():
            inside.set()
            release.wait(10)

    other = threading.Thread(target=hold)
    other.start()
    inside.wait(10)
    with paused_gc():
        pass
    assert not gc.isenabled()  # the other thread's pause is still on
    release.set()
    other.join(10)
    assert gc.isenabled()


def test_a_report_is_built_with_the_collector_paused_and_left_on(
    rated_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mtbench_tui.core.analysis import report

    during: list[bool] = []
    build = report._build

    def watched(*args: object) -> object:
        during.append(gc.isenabled())
        return build(*args)

    monkeypatch.setattr(report, "_build", watched)
    build_report(rated_store, settings=Settings(n_resamples=50))
    assert during == [False]
    assert gc.isenabled()
