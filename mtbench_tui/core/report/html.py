"""The statistics report as one self-contained HTML file: inline CSS and SVG, no scripts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from html import escape

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
from mtbench_tui.core.analysis.serialize import dumps
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
from mtbench_tui.core.textsafe import visible_controls

Chart = tuple[str, str]
"""(caption, inline svg)."""

# default-src 'none' forbids every fetch; only inline styles and data: images are allowed.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #24292f;
  margin: 0; background: #f6f8fa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin-top: 36px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 15px; margin-top: 22px; } .meta { color: #57606a; }
table { border-collapse: collapse; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; } th { background: #f6f8fa; }
td.text { text-align: left; max-width: 520px; } tr.flag td { background: #fff8c5; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; } .chart { max-width: 100%; height: auto; }
figure { margin: 0; border: 1px solid #d0d7de; padding: 8px; background: #fff; }
figcaption { font-size: 12px; color: #57606a; margin-top: 4px; }
"""


def _e(value: object) -> str:
    """HTML-escape anything that came from data, with controls made visible."""
    return escape(visible_controls(str(value)), quote=True)


def _table(
    header: list[str],
    rows: list[list[str]],
    flags: list[bool] | None = None,
    text_cols: tuple[int, ...] = (),
) -> str:
    """An HTML table; cell values are escaped here."""
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cells = "".join(
            f'<td class="text">{_e(c)}</td>' if j in text_cols else f"<td>{_e(c)}</td>"
            for j, c in enumerate(row)
        )
        cls = ' class="flag"' if flags and flags[i] else ""
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_html(report: Report, charts: dict[str, list[Chart]]) -> str:
    """The full report as HTML.

    Args:
        report: the statistics report.
        charts: judge -> [(caption, inline svg)] drawn by report.charts.

    Returns:
        A complete HTML document.
    """
    c, s = report.counts, report.settings
    parts = [
        "<h1>MT-Bench judge agreement report</h1>",
        _summary(report),
        f'<p class="meta">Generated {_e(report.generated)} by mtbench-review '
        f"{_e(report.tool_version)}. {c.questions} questions, {c.answers} answers, "
        f"{c.judgments} verdicts, {c.ratings} human ratings. "
        f"Intervals: {s.bootstrap_resamples} bootstrap resamples clustered by question, "
        "95% percentile.</p>",
    ]
    for block in report.judge_human:
        parts.append(_judge_section(block, charts.get(block.judge, [])))
    parts.append(_human_human(report.human_human))
    parts.append(_pairwise(report.pairwise))
    parts += [agreement_table(t) for t in report.agreement_tables]
    parts += [_bias(a) for a in report.bias]
    if report.bias:
        parts.append(f'<p class="meta">{_e(AUDIT_KEY)}</p>')
    parts.append(_no_verdict(report.no_verdict))
    parts.append(_annotations(report.annotations))
    parts.append(_data_block(report))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>MT-Bench judge agreement report</title><style>{_CSS}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>\n"
    )


def _data_block(report: Report) -> str:
    """The numbers as data, for tools: the ``stats --json`` document of the same settings.

    Comments and import metadata stay out of it. A JSON block is never executed, and '<'
    is escaped so it can't close the tag.
    """
    data = dumps(replace(report, annotations=None, dataset=None), indent=None).replace(
        "<", "\\u003c"
    )
    return f'<script type="application/json" id="report-data">{data}</script>'


def _metric_rows(columns: Sequence[MetricValues]) -> list[list[str]]:
    """The report's metrics down the side, one column per comparison."""
    return [[m.label, *(metric_value(m, c) for c in columns)] for m in REPORT_VIEW]


def _judge_section(block: JudgeBlock, charts: list[Chart]) -> str:
    """Agreement of one judge with humans: table, breakdowns and charts."""
    rows = block.rows
    out = [
        f"<h2>Judge {_e(block.judge)} vs human reviewers</h2>",
        _table(
            ["Metric", *(f"{r.reviewer} ({_sizes(r.n, r.n_questions)})" for r in rows)],
            _metric_rows([r.metrics for r in rows]),
        ),
    ]
    if charts:
        figures = "".join(
            f"<figure>{svg}<figcaption>{_e(caption)}</figcaption></figure>"
            for caption, svg in charts
        )
        out.append(f'<div class="charts">{figures}</div>')
    for b in block.pooled.breakdowns:
        out.append(f"<h3>By {_e(b.field)}</h3>")
        out.append(
            _table(
                [b.field.capitalize(), "Questions", *(m.label for m in BRIEF_VIEW)],
                [
                    [g.name, str(g.n_questions), *(metric_value(m, g.metrics) for m in BRIEF_VIEW)]
                    for g in b.groups
                ],
            )
        )
    return "".join(out)


def _human_human(hh: HumanHuman | None) -> str:
    """Human-human agreement beside judge-human on the same turns."""
    if not hh:
        return "<h2>Human–human agreement</h2><p>No turn has been rated by two reviewers yet.</p>"
    columns = [("Human–human", hh.metrics, _sizes(hh.n, hh.n_questions))]
    columns += [(f"{s.judge}–human", s.metrics, _sizes(s.n, s.n_questions)) for s in hh.same_items]
    return (
        "<h2>Human–human vs judge–human (the paper's comparison)</h2>"
        f"<p>On the {hh.n_turns} turns rated by two or more reviewers "
        f"({_e(', '.join(hh.reviewers))}).</p>"
        + _table(
            ["Metric", *(f"{name} ({n})" for name, _m, n in columns)],
            _metric_rows([m for _name, m, _n in columns]),
        )
    )


def _pairwise(blocks: Sequence[PairwiseBlock]) -> str:
    """MT-Bench-style pairwise agreement."""
    rows = []
    for b in blocks:
        for label, pair in ((f"{b.judge}–human", b.judge_human), ("human–human", b.human_human)):
            rows.append([label, rate(pair.with_ties), rate(pair.without_ties)])
    return (
        "<h2>Pairwise agreement derived from scores</h2><p>For each question, turn and pair of "
        "models, the higher-scored answer wins; equal scores tie.</p>"
        + _table(["Comparison", "With ties", "Without ties"], rows)
    )


def _bias(audit: JudgeAudit) -> str:
    """One judge's audit, flagged rows highlighted."""
    findings = audit.findings
    return f"<h2>Bias audit: {_e(audit.judge)}</h2>" + _table(
        ["Check", "Effect [95% CI]", "Questions", "p", "Flag", "Finding"],
        [
            [
                f.title,
                effect(f),
                str(f.n_questions),
                p_value(f.p_value),
                flag(f.status),
                f.message,
            ]
            for f in findings
        ],
        [f.flag for f in findings],
        text_cols=(0, 5),
    )


def _no_verdict(rows: Sequence[NoVerdict]) -> str:
    """Verdicts without a rating."""
    return "<h2>Verdicts without a rating</h2>" + _table(
        ["Judge", "Prompt", "Verdicts", "No rating", "Rate [95% CI]"],
        [[r.judge, r.prompt, str(r.n), str(r.no_verdict), no_verdict_rate(r)] for r in rows],
        [r.flag for r in rows],
    )


def _sizes(n: int, n_questions: int) -> str:
    """'n=190, 16 questions'."""
    return f"n={n}, {questions(n_questions)}"


def _summary(report: Report) -> str:
    """The opening verdict and the flagged findings, in plain language."""
    items = [f"<li>{_e(s.message)}</li>" for s in report.summary]
    for audit in report.bias:
        flagged = [f.title for f in audit.findings if f.flag]
        if flagged:
            items.append(
                f"<li>Bias audit of {_e(audit.judge)}: flagged {_e('; '.join(flagged))}.</li>"
            )
    body = "".join(items) or "<li>No judge has verdicts yet.</li>"
    return f'<h2>Summary</h2><ul class="summary">{body}</ul>'


def _annotations(annotations: Annotations | None) -> str:
    """Reviewers' comments and flagged turns."""
    if annotations is None:
        return ""
    head = "<h2>Reviewer comments and flagged turns</h2>"
    if not annotations.items:
        return head + "<p>No reviewer has left a comment or a flag yet.</p>"
    judge = annotations.judge or "judge"
    return head + _table(
        ["Question", "Model", "Turn", "Reviewer", "Score", f"{judge} score", "Flags", "Comment"],
        [
            [
                str(a.question_id),
                a.model,
                str(a.turn),
                a.reviewer,
                score_text(a.score),
                score_text(a.judge_score),
                ", ".join(FLAG_LABELS.get(f, f) for f in a.flags),
                a.note,
            ]
            for a in annotations.items
        ],
        ["judge-wrong" in a.flags for a in annotations.items],
        text_cols=(1, 3, 6, 7),
    )


def agreement_table(table: AgreementTable) -> str:
    """A generic agreement table (a row per comparison, a column per setting).

    Args:
        table: the table.

    Returns:
        HTML.
    """
    rows = [[r.label, *(DASH if c is None else rate(c) for c in r.cells)] for r in table.rows]
    note = f"<p>{_e(table.note)}</p>" if table.note else ""
    return f"<h2>{_e(table.title)}</h2>{note}" + _table(["Comparison", *table.columns], rows)
