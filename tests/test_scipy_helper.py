"""The audit's scipy tests in a helper process: scipy's own numbers, and no loss when it fails."""

from __future__ import annotations

import io
import json
import pickle
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from scipy import stats as sps

from mtbench_tui.core.analysis.report import build_report
from mtbench_tui.core.analysis.serialize import to_json
from mtbench_tui.core.analysis.settings import Settings
from mtbench_tui.core.stats import hypothesis
from mtbench_tui.core.stats.scipy_process import ScipyProcess, serve
from mtbench_tui.core.store import Store

RNG = np.random.default_rng(7)
SCORES = RNG.integers(1, 11, 300).astype(float)  # ties and zeros, as real scores have
OTHER = np.clip(SCORES + RNG.integers(-2, 3, 300), 1, 10)
LENGTHS = RNG.lognormal(6, 1, 300)


def scipy_direct() -> dict[str, tuple[Any, Any]]:
    """Each test's arguments, and what scipy.stats itself answers."""
    diff = OTHER - SCORES
    wilson = sps.binomtest(37, 250).proportion_ci(method="wilson")
    rho, p = sps.spearmanr(diff, LENGTHS)
    return {
        "binomial_p": ((37, 90), float(sps.binomtest(37, 90).pvalue)),
        "wilson_interval": ((37, 250), (float(wilson.low), float(wilson.high))),
        "wilcoxon_p": ((diff,), float(sps.wilcoxon(diff).pvalue)),
        "pearson_p": ((SCORES + OTHER, diff), float(sps.pearsonr(SCORES + OTHER, diff).pvalue)),
        "spearman": ((diff, LENGTHS), (float(rho), float(p))),
        "mann_whitney_p": (
            (diff[:120], diff[120:]),
            float(sps.mannwhitneyu(diff[:120], diff[120:]).pvalue),
        ),
        "fisher_p": (([[12, 30], [25, 19]],), float(sps.fisher_exact([[12, 30], [25, 19]]).pvalue)),
    }


@pytest.fixture
def helper() -> Iterator[ScipyProcess]:
    """A real helper process, ended after the test."""
    started = ScipyProcess.start()
    assert started is not None
    yield started
    started.close()


def test_the_helper_answers_every_test_with_scipys_own_numbers(helper: ScipyProcess) -> None:
    for name, (args, expected) in scipy_direct().items():
        done, value = helper.call(name, args)
        assert done, name
        assert value == expected, name  # bit for bit: the same code on the same floats
        with hypothesis.using(helper):
            assert getattr(hypothesis, name)(*args) == expected, name
        assert getattr(hypothesis, name)(*args) == expected, name  # computed here


def test_a_failing_test_raises_scipys_own_error(helper: ScipyProcess) -> None:
    with hypothesis.using(helper), pytest.raises(ValueError):
        hypothesis.binomial_p(5, 3)  # more successes than trials
    assert helper.call("binomial_p", (1, 2))[0]  # the helper is still serving


@pytest.mark.parametrize(
    "code",
    [
        "pass",  # exits at once
        "import sys; sys.stdout.write('not a pickle'); sys.stdout.flush()",
        "import pickle, sys; pickle.dump('wrong shape', sys.stdout.buffer); sys.stdout.flush()",
    ],
)
def test_a_broken_helper_leaves_the_numbers_to_this_process(code: str) -> None:
    expected = scipy_direct()["wilcoxon_p"]
    with hypothesis.elsewhere() as outer:
        assert outer is None  # scipy.stats is loaded here already: nothing to gain
    broken = ScipyProcess.start([sys.executable, "-c", code])
    assert broken is not None
    try:
        with hypothesis.using(broken):
            assert hypothesis.wilcoxon_p(*expected[0]) == expected[1]
            assert hypothesis.wilcoxon_p(*expected[0]) == expected[1]  # and again, broken
        assert broken.call("wilcoxon_p", expected[0]) == (False, None)
    finally:
        broken.close()


def test_a_killed_helper_leaves_the_numbers_to_this_process(helper: ScipyProcess) -> None:
    args, expected = scipy_direct()["spearman"]
    assert helper.call("spearman", args) == (True, expected)
    subprocess.run(["kill", "-9", str(helper.pid)], check=True)
    with hypothesis.using(helper):
        assert hypothesis.spearman(*args) == expected


def test_close_ends_the_process_even_while_it_is_still_importing() -> None:
    started = ScipyProcess.start()
    assert started is not None
    started.close()  # at once: it has not answered anything yet
    assert started.call("binomial_p", (1, 2)) == (False, None)
    done = subprocess.run(["ps", "-p", str(started.pid)], capture_output=True, text=True)
    assert str(started.pid) not in done.stdout  # gone and reaped, not a zombie


def test_serve_answers_in_order_and_refuses_unknown_tests() -> None:
    requests = io.BytesIO()
    for request in [("binomial_p", (3, 10)), ("no_such_test", ()), ("binomial_p", (5, 3))]:
        pickle.dump(request, requests)
    requests.seek(0)
    replies = io.BytesIO()
    serve(requests, replies)  # returns when the requests run out
    replies.seek(0)
    first, unknown, bad = (pickle.load(replies) for _ in range(3))
    assert first == (True, float(sps.binomtest(3, 10).pvalue))
    assert unknown == (False, None) and bad == (False, None)


def test_a_fresh_stats_process_never_imports_scipy_stats_and_reports_the_same(
    rated_store: Store,
) -> None:
    # In this process scipy.stats is loaded, so build_report runs the tests here; a fresh
    # process sends them to a helper. Both reports must be the same, number for number.
    settings = Settings(n_resamples=200, seed=3)
    here = to_json(build_report(rated_store, settings=settings, by=("turn", "category")))
    script = textwrap.dedent(
        f"""
        import json, sys
        from mtbench_tui.core.analysis.report import build_report
        from mtbench_tui.core.analysis.serialize import to_json
        from mtbench_tui.core.analysis.settings import Settings
        from mtbench_tui.core.store import Store
        store = Store.open_readonly({str(rated_store.path)!r})
        report = build_report(store, settings=Settings(n_resamples=200, seed=3),
                              by=("turn", "category"))
        print(json.dumps({{"report": to_json(report), "scipy": "scipy.stats" in sys.modules}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    there = json.loads(done.stdout)
    assert there["scipy"] is False
    assert there["report"]["bias"] and there["report"]["no_verdict"]
    for report in (here, there["report"]):
        report.pop("generated")
    assert json.dumps(there["report"], sort_keys=True) == json.dumps(here, sort_keys=True)


def test_the_helper_exits_by_itself_when_its_parent_dies() -> None:
    script = textwrap.dedent(
        """
        import os
        from mtbench_tui.core.stats.scipy_process import ScipyProcess
        helper = ScipyProcess.start()
        print(helper.pid, flush=True)
        os._exit(0)  # no close(): as if killed
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    pid = int(done.stdout)
    deadline = time.monotonic() + 60  # it finishes importing scipy first, then sees the pipe closed
    while time.monotonic() < deadline and _running(pid):
        time.sleep(0.05)
    assert not _running(pid)


def _running(pid: int) -> bool:
    """Whether the process exists and has not exited (a zombie has exited)."""
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)
    return bool(state.stdout.strip()) and not state.stdout.strip().startswith("Z")
