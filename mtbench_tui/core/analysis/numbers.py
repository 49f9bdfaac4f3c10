"""The report's numbers: the one rounding rule, intervals and estimates."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from mtbench_tui.core.stats import paired


DIGITS = 6
"""Decimals kept for estimates and intervals in the report."""

P_DIGITS = 3
"""Significant figures of p-values, in JSON as in every table and message (decimals would
turn 2e-13 into 0)."""


def clean(x: float | None, digits: int = DIGITS) -> float | None:
    """Round a number for the report; NaN, infinities and None become None.

    Args:
        x: the number.
        digits: decimals to keep.

    Returns:
        The rounded float, or None when there is no finite value.
    """
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), digits)


def significant(p: float | None, figures: int = P_DIGITS) -> float | None:
    """A p-value to ``figures`` significant figures; non-finite and None become None.

    Args:
        p: the p-value.
        figures: significant figures to keep.

    Returns:
        The rounded float, or None.
    """
    if p is None or not math.isfinite(p):
        return None
    return float(f"{p:.{figures}g}")


class Interval(NamedTuple):
    """A confidence interval; both ends None when it could not be computed."""

    low: float | None
    high: float | None

    @property
    def known(self) -> bool:
        """True when both ends are numbers."""
        return self.low is not None and self.high is not None


NO_INTERVAL = Interval(None, None)


@dataclass(frozen=True)
class Estimate:
    """A value with its interval."""

    value: float | None
    ci: Interval = NO_INTERVAL

    @classmethod
    def of(cls, raw: paired.Estimate) -> Estimate:
        """Round a computed estimate for the report."""
        return cls(clean(raw.value), Interval(clean(raw.low), clean(raw.high)))
