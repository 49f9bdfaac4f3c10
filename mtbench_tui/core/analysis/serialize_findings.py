"""JSON of audit findings, no-verdict rates and gates (part of ``serialize.to_json``)."""

from __future__ import annotations

from typing import Any

from mtbench_tui.core.analysis.findings import AuditFinding, Gate, GroupGap, NoVerdict
from mtbench_tui.core.analysis.numbers import Interval

Json = dict[str, Any]


def ci_json(ci: Interval | None) -> list[float | None] | None:
    """An interval as [low, high]."""
    return None if ci is None else [ci.low, ci.high]


def _group_gap(g: GroupGap) -> Json:
    """One group of a gap check."""
    return {
        "group": g.group,
        "n": g.n,
        "n_questions": g.n_questions,
        "effect": g.effect,
        "ci": ci_json(g.ci),
        "flag": g.flag,
        "status": g.status.value,
    }


def finding_json(f: AuditFinding) -> Json:
    """One audit finding."""
    details: Json = {
        d.name: list(d.value) if isinstance(d.value, tuple) else d.value for d in f.details
    }
    if f.groups:
        details["groups"] = [_group_gap(g) for g in f.groups]
    return {
        "check": f.check,
        "title": f.title,
        "effect": f.effect,
        "ci": ci_json(f.ci),
        "p_value": f.p_value,
        "flag": f.flag,
        "status": f.status.value,
        "n_questions": f.n_questions,
        "message": f.message,
        "details": details,
    }


def no_verdict_json(r: NoVerdict) -> Json:
    """One judge and prompt's verdicts without a rating."""
    return {
        "judge": r.judge,
        "judge_model": r.judge_model,
        "prompt": r.prompt,
        "n": r.n,
        "no_verdict": r.no_verdict,
        "rate": r.rate,
        "ci": ci_json(r.ci),
        "flag": r.flag,
        "message": r.message,
    }


def gate_json(g: Gate) -> Json:
    """One evaluated gate."""
    return {
        "metric": g.metric,
        "op": g.op,
        "threshold": g.threshold,
        "judge": g.judge,
        "value": g.value,
        "passed": g.passed,
    }
