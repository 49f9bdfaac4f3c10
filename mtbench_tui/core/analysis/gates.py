"""CI gates (``--fail-under METRIC=VALUE``, ``--fail-over METRIC=VALUE``), parsed and evaluated."""

from __future__ import annotations

from collections.abc import Sequence

from mtbench_tui.core.analysis.findings import Gate, GateSpec
from mtbench_tui.core.analysis.metrics import GATE_METRICS, metric
from mtbench_tui.core.analysis.model import JudgeBlock

OPS = ("under", "over")


class GateError(ValueError):
    """A gate that cannot be parsed; the message says how to write it."""


def parse_gate(text: str, op: str) -> GateSpec:
    """Parse ``METRIC=VALUE``.

    Args:
        text: what the user wrote.
        op: ``under`` or ``over``.

    Returns:
        The gate.

    Raises:
        GateError: for an unknown metric or a value that is not a number.
    """
    if op not in OPS:
        raise GateError(f"gate operator must be one of {', '.join(OPS)}")
    name, _, threshold = text.partition("=")
    if name not in GATE_METRICS or not threshold:
        known = ", ".join(GATE_METRICS)
        raise GateError(f"bad gate {text!r}: use METRIC=VALUE with METRIC one of {known}")
    try:
        return GateSpec(name, op, float(threshold))
    except ValueError:
        raise GateError(f"bad gate {text!r}: {threshold!r} is not a number") from None


def evaluate(specs: Sequence[GateSpec], blocks: Sequence[JudgeBlock]) -> tuple[Gate, ...]:
    """Each gate against each judge's pooled row; a missing value fails.

    Args:
        specs: the gates asked for.
        blocks: every judge's agreement with humans.

    Returns:
        One Gate per (spec, judge), in that order.
    """
    return tuple(_gate(spec, block) for spec in specs for block in blocks)


def _gate(spec: GateSpec, block: JudgeBlock) -> Gate:
    """One gate against one judge."""
    value = block.pooled.metrics.value(metric(spec.metric))
    if value is None:
        passed = False
    elif spec.op == "under":
        passed = value >= spec.threshold
    else:
        passed = value <= spec.threshold
    return Gate(spec.metric, f"fail-{spec.op}", spec.threshold, block.judge, value, passed)
