"""``to_json``: the one owner of the ``stats --json`` schema (documented in the README)."""

from __future__ import annotations

import json
from typing import Any

from mtbench_tui.core.analysis import jsontext
from mtbench_tui.core.analysis.model import (
    AgreementCell,
    AgreementRow,
    AgreementTable,
    Annotations,
    Dataset,
    HumanHuman,
    JudgeBlock,
    MetricValues,
    PairwiseBlock,
    Report,
    Summary,
    TiesPair,
)
from mtbench_tui.core.analysis.numbers import Estimate
from mtbench_tui.core.analysis.serialize_findings import (
    ci_json,
    finding_json,
    gate_json,
    no_verdict_json,
)
from mtbench_tui.core.stats import memory
from mtbench_tui.core.textsafe import json_safe

Json = dict[str, Any]


def to_json(report: Report) -> Json:
    """The report as JSON-ready dicts and lists, keys in schema order.

    Args:
        report: the typed report.

    Returns:
        The ``mtbench-review/stats`` document.
    """
    s, c = report.settings, report.counts
    out: Json = {
        "schema": report.schema,
        "tool_version": report.tool_version,
        "generated": report.generated,
        "database": report.database,
        "settings": {
            "bootstrap_resamples": s.bootstrap_resamples,
            "confidence": s.confidence,
            "seed": s.seed,
            "cluster": s.cluster,
            "by": list(s.by),
            "judge": s.judge,
            "reviewer": s.reviewer,
            "humans": s.humans,
        },
        "counts": {
            "questions": c.questions,
            "reference_answers": c.reference_answers,
            "answers": c.answers,
            "judgments": c.judgments,
            "no_verdict": c.no_verdict,
            "ratings": c.ratings,
            "ratings_by_reviewer": dict(c.ratings_by_reviewer),
            "pair_votes": c.pair_votes,
            "pair_verdicts": c.pair_verdicts,
        },
        "judges": list(report.judges),
        "reviewers": list(report.reviewers),
        "summary": [_summary(x) for x in report.summary],
        "judge_human": [_judge_block(b) for b in report.judge_human],
        "human_human": _human_human(report.human_human),
        "pairwise": [_pairwise(b) for b in report.pairwise],
        "bias": [
            {"judge": a.judge, "items": [finding_json(f) for f in a.findings]} for a in report.bias
        ],
        "no_verdict": [no_verdict_json(r) for r in report.no_verdict],
    }
    if report.agreement_tables:
        out["verdict_agreement"] = [_table(t) for t in report.agreement_tables]
    if report.gates is not None:
        out["gates"] = [gate_json(g) for g in report.gates]
    if report.dataset is not None:
        out["dataset"] = _dataset(report.dataset)
    if report.annotations is not None:
        out["annotations"] = _annotations(report.annotations)
    return out


def dumps(report: Report, indent: int | None = 2) -> str:
    """The report as JSON text, with no raw control or bidi character in it.

    Args:
        report: the typed report.
        indent: spaces per level, or None for one line.

    Returns:
        The JSON text (no trailing newline).
    """
    with memory.paused_gc():  # ~100k small dicts and lists, none in a cycle
        data = to_json(report)
        if indent is None:
            return json_safe(json.dumps(data, ensure_ascii=False))
        return jsontext.dumps(data, indent, escape=json_safe)


def _estimate(e: Estimate | None) -> Json | None:
    """{value, ci}."""
    return None if e is None else {"value": e.value, "ci": ci_json(e.ci)}


def _summary(x: Summary) -> Json:
    """The opening verdict for one judge."""
    return {
        "judge": x.judge,
        "verdict": x.verdict,
        "metric": x.metric,
        "judge_human": _estimate(x.judge_human),
        "human_human": _estimate(x.human_human),
        "difference": _estimate(x.difference),
        "n_questions": x.n_questions,
        "message": x.message,
    }


def _metrics(m: MetricValues) -> Json:
    """Metric name -> {value, ci}; n as a plain integer."""
    out: Json = {"n": m.n}
    for name, e in m.estimates.items():
        out[name] = _estimate(e)
    return out


def _row(r: AgreementRow) -> Json:
    """One reviewer's (or all reviewers') agreement with a judge."""
    return {
        "reviewer": r.reviewer,
        "n": r.n,
        "n_questions": r.n_questions,
        "metrics": _metrics(r.metrics),
        "breakdowns": {
            b.field: [
                {
                    "group": g.name,
                    "n": g.n,
                    "n_questions": g.n_questions,
                    "metrics": _metrics(g.metrics),
                }
                for g in b.groups
            ]
            for b in r.breakdowns
        },
    }


def _judge_block(b: JudgeBlock) -> Json:
    """One judge against the humans."""
    return {"judge": b.judge, "judge_model": b.judge_model, "rows": [_row(r) for r in b.rows]}


def _human_human(hh: HumanHuman | None) -> Json | None:
    """The paper's comparison."""
    if hh is None:
        return None
    return {
        "reviewers": list(hh.reviewers),
        "n": hh.n,
        "n_turns": hh.n_turns,
        "n_questions": hh.n_questions,
        "metrics": _metrics(hh.metrics),
        "judge_human_same_items": [
            {
                "judge": s.judge,
                "n": s.n,
                "n_questions": s.n_questions,
                "metrics": _metrics(s.metrics),
            }
            for s in hh.same_items
        ],
    }


def _cell(c: AgreementCell) -> Json:
    """agree / total with the rate and its interval (baseline and κ when computed)."""
    out: Json = {
        "agree": c.agree,
        "total": c.total,
        "rate": c.rate.value,
        "ci": ci_json(c.rate.ci),
        "n_questions": c.n_questions,
    }
    if c.baseline is not None:
        out["baseline"] = c.baseline
    if c.kappa is not None:
        out["kappa"] = _estimate(c.kappa)
    return out


def _ties(t: TiesPair) -> Json:
    """With and without ties."""
    return {"with_ties": _cell(t.with_ties), "without_ties": _cell(t.without_ties)}


def _pairwise(b: PairwiseBlock) -> Json:
    """Pairwise agreement derived from scores."""
    return {
        "judge": b.judge,
        "n_comparisons": b.n_comparisons,
        "judge_human": _ties(b.judge_human),
        "human_human": _ties(b.human_human),
    }


def _table(t: AgreementTable) -> Json:
    """A generic agreement table."""
    return {
        "key": t.key,
        "title": t.title,
        "columns": list(t.columns),
        "column_keys": list(t.column_keys),
        "rows": [
            {
                "label": r.label,
                "first": r.first,
                "kind": r.kind,
                "second": r.second,
                "scope": r.scope,
                "cells": [None if c is None else _cell(c) for c in r.cells],
            }
            for r in t.rows
        ],
        "note": t.note,
    }


def _dataset(d: Dataset) -> Json:
    """What was imported."""
    return {
        "imports": [{"at": i.at, "files": list(i.files)} for i in d.imports],
        "models": list(d.models),
        "categories": list(d.categories),
    }


def _annotations(a: Annotations) -> Json:
    """Reviewers' comments and flagged turns."""
    return {
        "judge": a.judge,
        "items": [
            {
                "question_id": i.question_id,
                "model": i.model,
                "turn": i.turn,
                "reviewer": i.reviewer,
                "category": i.category,
                "score": i.score,
                "judge_score": i.judge_score,
                "flags": list(i.flags),
                "note": i.note,
            }
            for i in a.items
        ],
    }
