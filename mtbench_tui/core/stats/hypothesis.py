"""The audit's significance tests (scipy.stats), run in a helper process while a report asks.

Within ``elsewhere()`` the tests go to a helper process (``scipy_process``) that imports
scipy.stats beside the report's work instead of inside it; otherwise, or if the helper
fails, they run here. Either way the numbers are scipy's own, bit for bit.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np

from mtbench_tui.core.stats import parallel
from mtbench_tui.core.stats.scipy_process import ScipyProcess

_helper: ContextVar[ScipyProcess | None] = ContextVar("scipy_helper", default=None)


@contextmanager
def elsewhere(argv: list[str] | None = None) -> Iterator[ScipyProcess | None]:
    """Run this thread's tests in a helper process until the block ends.

    No helper when scipy.stats is already imported here (nothing left to save) or when
    there is a single core to run on; inside another ``elsewhere`` block, that one's.

    Args:
        argv: the helper's command (default: ``scipy_process.command()``).

    Yields:
        The helper, or None when the tests run in this process.
    """
    running = _helper.get()
    if running is not None or "scipy.stats" in sys.modules or parallel.WORKERS < 2:
        yield running
        return
    helper = ScipyProcess.start(argv)
    try:
        with using(helper):
            yield helper
    finally:
        if helper is not None:
            helper.close()


@contextmanager
def using(helper: ScipyProcess | None) -> Iterator[None]:
    """Send this thread's tests to ``helper`` (None: compute them here) until the block ends."""
    token = _helper.set(helper)
    try:
        yield
    finally:
        _helper.reset(token)


def binomial_p(k: int, n: int) -> float:
    """Two-sided exact binomial test of k successes in n against one half."""
    return float(_run("binomial_p", int(k), int(n)))


def wilson_interval(k: int, n: int) -> tuple[float, float]:
    """The 95% Wilson score interval of the share k / n."""
    low, high = _run("wilson_interval", int(k), int(n))
    return float(low), float(high)


def wilcoxon_p(x: np.ndarray) -> float:
    """Wilcoxon's signed-rank test of the differences x against zero."""
    return float(_run("wilcoxon_p", np.asarray(x)))


def pearson_p(x: np.ndarray, y: np.ndarray) -> float:
    """The p-value of Pearson's r between x and y."""
    return float(_run("pearson_p", np.asarray(x), np.asarray(y)))


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Spearman's rho between x and y, and its p-value."""
    rho, p = _run("spearman", np.asarray(x), np.asarray(y))
    return float(rho), float(p)


def mann_whitney_p(x: np.ndarray, y: np.ndarray) -> float:
    """The Mann-Whitney U test of x against y (two-sided)."""
    return float(_run("mann_whitney_p", np.asarray(x), np.asarray(y)))


def fisher_p(table: Sequence[Sequence[int]]) -> float:
    """Fisher's exact test of a 2 x 2 table of counts (two-sided)."""
    return float(_run("fisher_p", [[int(c) for c in row] for row in table]))


def _run(name: str, *args: Any) -> Any:
    """A test's result: from this thread's helper, or computed here."""
    helper = _helper.get()
    if helper is not None:
        done, value = helper.call(name, args)
        if done:
            return value
    from mtbench_tui.core.stats.hypothesis_scipy import TESTS

    return TESTS[name](*args)
