"""The statistics report as Markdown. Text from data is escaped so it cannot change the layout."""

from __future__ import annotations

import re
from collections.abc import Sequence

from mtbench_tui.core.analysis.findings import JudgeAudit, NoVerdict
from mtbench_tui.core.analysis.metrics import BRIEF_VIEW, REPORT_VIEW
from mtbench_tui.core.analysis.model import (
    AgreementTable,
    Annotations,
    HumanHuman,
    JudgeBlock,
    MetricValues,
    PairwiseBlock,
    Report,
)
from mtbench_tui.core.models import FLAG_LABELS
from mtbench_tui.core.report.fmt import (
    AUDIT_KEY,
    DASH,
    effect,
    flag,
    metric_value,
    no_verdict_rate,
    p_value,
    questions,
    rate,
    score_text,
)
from mtbench_tui.core.textsafe import one_line

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#!|~&])")


def md_text(text: str) -> str:
    """Escape Markdown (and inline HTML) in data, on one line, with controls made visible.

    Args:
        text: untrusted text.

    Returns:
        Text safe in a table cell or a heading.
    """
    return _MD_SPECIAL.sub(r"\\\1", one_line(str(text)))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A GitHub-flavoured Markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join([" --- "] * len(header)) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def _metric_rows(columns: Sequence[MetricValues]) -> list[list[str]]:
    """The report's metrics down the side, one column per comparison."""
    return [[m.label, *(metric_value(m, c) for c in columns)] for m in REPORT_VIEW]


def render_markdown(report: Report) -> str:
    """The full report: agreement, breakdowns, the paper's comparison, pairwise, bias, no-verdicts.

    Args:
        report: the report.

    Returns:
        The Markdown document.
    """
    lines = ["# MT-Bench judge agreement report", ""]
    lines += _summary(report)
    lines += _overview(report)
    for block in report.judge_human:
        lines += _judge_section(block)
    lines += _human_human(report.human_human)
    lines += _pairwise(report.pairwise)
    for table in report.agreement_tables:
        lines += agreement_table(table)
    lines += _bias(report.bias)
    lines += _no_verdict(report.no_verdict)
    lines += _annotations(report.annotations)
    return "\n".join(lines) + "\n"


def _judge_section(block: JudgeBlock) -> list[str]:
    """One judge against the humans, then its breakdowns."""
    lines = [
        "",
        f"## Judge {md_text(block.judge)} vs human reviewers",
        "",
        "Point estimates with 95% cluster-bootstrap intervals (questions resampled whole).",
        "",
    ]
    header = [
        "Metric",
        *(f"{md_text(r.reviewer)} ({_sizes(r.n, r.n_questions)})" for r in block.rows),
    ]
    lines += _table(header, _metric_rows([r.metrics for r in block.rows]))
    for b in block.pooled.breakdowns:
        lines += ["", f"### By {b.field}", ""]
        lines += _table(
            [b.field.capitalize(), "Questions", *(m.label for m in BRIEF_VIEW)],
            [
                [
                    md_text(g.name),
                    str(g.n_questions),
                    *(metric_value(m, g.metrics) for m in BRIEF_VIEW),
                ]
                for g in b.groups
            ],
        )
    return lines


def _overview(report: Report) -> list[str]:
    """What the report covers."""
    c, s = report.counts, report.settings
    return [
        f"Generated {report.generated} by mtbench-review {report.tool_version}.",
        "",
        f"- Data: {c.questions} questions, {c.answers} answers, {c.judgments} judge verdicts "
        f"({c.no_verdict} without a rating), {c.ratings} human ratings.",
        f"- Judges: {', '.join(md_text(j) for j in report.judges) or 'none'}.",
        f"- Reviewers: {', '.join(md_text(r) for r in report.reviewers) or 'none yet'}.",
        f"- Intervals: {s.bootstrap_resamples} bootstrap resamples clustered by {s.cluster}, "
        f"{s.confidence:.0%} percentile intervals, seed {s.seed}.",
        "- Fractional judge scores (e.g. 8.5) count on the nearest 1–10 label (half up) "
        "for κ only.",
    ]


def _human_human(hh: HumanHuman | None) -> list[str]:
    """Human-human agreement beside judge-human on the same turns."""
    if not hh:
        return ["", "## Human–human agreement", "", "No turn has been rated by two reviewers yet."]
    columns = [("Human–human", hh.metrics, _sizes(hh.n, hh.n_questions))]
    columns += [
        (f"{md_text(s.judge)}–human", s.metrics, _sizes(s.n, s.n_questions)) for s in hh.same_items
    ]
    lines = [
        "",
        "## Human–human vs judge–human (the paper's comparison)",
        "",
        f"On the {hh.n_turns} turns rated by two or more reviewers "
        f"({', '.join(md_text(r) for r in hh.reviewers)}). For human–human, the mean difference is "
        "the later reviewer (by name) minus the earlier.",
        "",
    ]
    header = ["Metric", *(f"{name} ({n})" for name, _m, n in columns)]
    return lines + _table(header, _metric_rows([m for _name, m, _n in columns]))


def _pairwise(blocks: Sequence[PairwiseBlock]) -> list[str]:
    """MT-Bench-style pairwise agreement derived from scores."""
    lines = [
        "",
        "## Pairwise agreement derived from scores",
        "",
        "For each question, turn and pair of models, the higher-scored answer wins "
        "(equal scores tie).",
        "",
    ]
    rows = []
    for b in blocks:
        for label, pair in (
            (f"{md_text(b.judge)}–human", b.judge_human),
            ("human–human", b.human_human),
        ):
            rows.append([label, rate(pair.with_ties), rate(pair.without_ties)])
    return lines + _table(["Comparison", "With ties", "Without ties"], rows)


def _bias(audits: Sequence[JudgeAudit]) -> list[str]:
    """The bias audit, flagged findings marked."""
    lines = []
    for a in audits:
        lines += ["", f"## Bias audit: {md_text(a.judge)}", ""]
        lines += _table(
            ["Check", "Effect [95% CI]", "Questions", "p", "Flag", "Finding"],
            [
                [
                    md_text(f.title),
                    effect(f),
                    str(f.n_questions),
                    p_value(f.p_value),
                    flag(f.status),
                    md_text(f.message),
                ]
                for f in a.findings
            ],
        )
    if audits:
        lines += ["", AUDIT_KEY]
    return lines


def _no_verdict(rows: Sequence[NoVerdict]) -> list[str]:
    """Verdicts without a parseable rating, by judge and prompt."""
    lines = ["", "## Verdicts without a rating", ""]
    return lines + _table(
        ["Judge", "Prompt", "Verdicts", "No rating", "Rate [95% CI]"],
        [
            [md_text(r.judge), md_text(r.prompt), str(r.n), str(r.no_verdict), no_verdict_rate(r)]
            for r in rows
        ],
    )


def _sizes(n: int, n_questions: int) -> str:
    """'n=190, 16 questions'."""
    return f"n={n}, {questions(n_questions)}"


def _summary(report: Report) -> list[str]:
    """The opening verdict and the flagged findings, in plain language."""
    lines = ["## Summary", ""]
    lines += [f"- {md_text(s.message)}" for s in report.summary] or ["- No judge has verdicts yet."]
    for audit in report.bias:
        flagged = [f.title for f in audit.findings if f.flag]
        if flagged:
            names = "; ".join(md_text(t) for t in flagged)
            lines.append(f"- Bias audit of {md_text(audit.judge)}: flagged {names}.")
    return [*lines, ""]


def _annotations(annotations: Annotations | None) -> list[str]:
    """Reviewers' comments and flagged turns."""
    if annotations is None:
        return []
    lines = ["", "## Reviewer comments and flagged turns", ""]
    if not annotations.items:
        return [*lines, "No reviewer has left a comment or a flag yet."]
    judge = md_text(annotations.judge or "judge")
    return lines + _table(
        ["Question", "Model", "Turn", "Reviewer", "Score", f"{judge} score", "Flags", "Comment"],
        [
            [
                str(a.question_id),
                md_text(a.model),
                str(a.turn),
                md_text(a.reviewer),
                score_text(a.score),
                score_text(a.judge_score),
                md_text(", ".join(FLAG_LABELS.get(f, f) for f in a.flags)),
                md_text(a.note),
            ]
            for a in annotations.items
        ],
    )


def agreement_table(table: AgreementTable) -> list[str]:
    """A generic agreement table (a row per comparison, a column per setting).

    Args:
        table: the table.

    Returns:
        Markdown lines.
    """
    lines = ["", f"## {md_text(table.title)}", ""]
    rows = [
        [md_text(r.label), *(DASH if c is None else rate(c) for c in r.cells)] for r in table.rows
    ]
    lines += _table(["Comparison", *(md_text(c) for c in table.columns)], rows)
    return lines + (["", md_text(table.note)] if table.note else [])
