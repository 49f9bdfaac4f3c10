"""The statistics report as Markdown. Text from models and reviewers is escaped so it cannot change the layout."""

from __future__ import annotations

import re
from typing import Any

from mtbench_tui.core.report.fmt import (
    BRIEF_METRICS,
    METRIC_LABELS,
    REPORT_METRICS,
    effect,
    estimate,
    p_value,
    rate,
)

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#!|~&])")


def md_text(text: str) -> str:
    """Escape Markdown (and inline HTML) in data, and keep it on one line for table cells."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A GitHub-flavoured Markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join([" --- "] * len(header)) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def render_markdown(report: dict[str, Any]) -> str:
    """The full report: agreement, breakdowns, the paper's comparison, pairwise agreement, bias and no-verdicts."""
    lines = ["# MT-Bench judge agreement report", ""]
    lines += _overview(report)
    for block in report["judge_human"]:
        judge = md_text(block["judge"])
        lines += [
            "",
            f"## Judge {judge} vs human reviewers",
            "",
            "Point estimates with 95% cluster-bootstrap intervals (questions resampled whole).",
            "",
        ]
        rows = block["rows"]
        header = ["Metric", *(f"{md_text(r['reviewer'])} (n={r['n']})" for r in rows)]
        lines += _table(
            header,
            [
                [METRIC_LABELS[m], *(estimate(m, r["metrics"].get(m)) for r in rows)]
                for m in REPORT_METRICS
            ],
        )
        for field, groups in rows[0]["breakdowns"].items():
            lines += ["", f"### By {field}", ""]
            lines += _table(
                [field.capitalize(), *(METRIC_LABELS[m] for m in BRIEF_METRICS)],
                [
                    [
                        md_text(g["group"]),
                        *(estimate(m, g["metrics"].get(m)) for m in BRIEF_METRICS),
                    ]
                    for g in groups
                ],
            )
    lines += _human_human(report["human_human"])
    lines += _pairwise(report["pairwise"])
    lines += _bias(report["bias"])
    lines += _no_verdict(report["no_verdict"])
    return "\n".join(lines) + "\n"


def _overview(report: dict[str, Any]) -> list[str]:
    """What the report covers."""
    c, s = report["counts"], report["settings"]
    return [
        f"Generated {report['generated']} by mtbench-review {report['tool_version']}.",
        "",
        f"- Data: {c['questions']} questions, {c['answers']} answers, {c['judgments']} judge verdicts "
        f"({c['no_verdict']} without a rating), {c['ratings']} human ratings.",
        f"- Judges: {', '.join(md_text(j) for j in report['judges']) or 'none'}.",
        f"- Reviewers: {', '.join(md_text(r) for r in report['reviewers']) or 'none yet'}.",
        f"- Intervals: {s['bootstrap_resamples']} bootstrap resamples clustered by {s['cluster']}, "
        f"{s['confidence']:.0%} percentile intervals, seed {s['seed']}.",
        "- Fractional judge scores (e.g. 8.5) count on the nearest 1–10 label (half up) for κ only.",
    ]


def _human_human(hh: dict[str, Any] | None) -> list[str]:
    """Human-human agreement beside judge-human on the same turns."""
    if not hh:
        return ["", "## Human–human agreement", "", "No turn has been rated by two reviewers yet."]
    columns = [("Human–human", hh["metrics"], hh["n"])]
    columns += [
        (f"{md_text(s['judge'])}–human", s["metrics"], s["n"]) for s in hh["judge_human_same_items"]
    ]
    lines = [
        "",
        "## Human–human vs judge–human (the paper's comparison)",
        "",
        f"On the {hh['n_turns']} turns rated by two or more reviewers "
        f"({', '.join(md_text(r) for r in hh['reviewers'])}). For human–human, the mean difference is "
        "the later reviewer (by name) minus the earlier.",
        "",
    ]
    lines += _table(
        ["Metric", *(f"{name} (n={n})" for name, _m, n in columns)],
        [
            [METRIC_LABELS[m], *(estimate(m, metrics.get(m)) for _name, metrics, _n in columns)]
            for m in REPORT_METRICS
        ],
    )
    return lines


def _pairwise(blocks: list[dict[str, Any]]) -> list[str]:
    """MT-Bench-style pairwise agreement derived from scores."""
    lines = [
        "",
        "## Pairwise agreement derived from scores",
        "",
        "For each question, turn and pair of models, the higher-scored answer wins (equal scores tie).",
        "",
    ]
    rows = []
    for b in blocks:
        for who in ("judge_human", "human_human"):
            label = f"{md_text(b['judge'])}–human" if who == "judge_human" else "human–human"
            rows.append([label, rate(b[who]["with_ties"]), rate(b[who]["without_ties"])])
    return lines + _table(["Comparison", "With ties", "Without ties"], rows)


def _bias(blocks: list[dict[str, Any]]) -> list[str]:
    """The bias audit, flagged findings marked."""
    lines = []
    for b in blocks:
        lines += ["", f"## Bias audit: {md_text(b['judge'])}", ""]
        lines += _table(
            ["Check", "Effect [95% CI]", "p", "Flag", "Finding"],
            [
                [
                    md_text(i["title"]),
                    effect(i),
                    p_value(i["p_value"]),
                    "⚑" if i["flag"] else "",
                    md_text(i["message"]),
                ]
                for i in b["items"]
            ],
        )
    return lines


def _no_verdict(rows: list[dict[str, Any]]) -> list[str]:
    """Verdicts without a parseable rating, by judge and prompt."""
    lines = ["", "## Verdicts without a rating", ""]
    return lines + _table(
        ["Judge", "Prompt", "Verdicts", "No rating", "Rate [95% CI]"],
        [
            [
                md_text(r["judge"]),
                md_text(r["prompt"]),
                str(r["n"]),
                str(r["no_verdict"]),
                estimate("rate", {"value": r["rate"], "ci": r["ci"] or [None, None]}),
            ]
            for r in rows
        ],
    )
