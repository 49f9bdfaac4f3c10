"""The statistics report as one self-contained HTML file: inline CSS and SVG charts, no scripts, no requests."""

from __future__ import annotations

import json
from html import escape
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

# default-src 'none' forbids every fetch; only inline styles and data: images are allowed.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #24292f; margin: 0; background: #f6f8fa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin-top: 36px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
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
    """HTML-escape anything that came from data."""
    return escape(str(value), quote=True)


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


def render_html(report: dict[str, Any], charts: dict[str, list[tuple[str, str]]]) -> str:
    """The full report as HTML.

    Args:
        report: the statistics report (as ``stats --json``).
        charts: judge -> [(caption, inline svg)] drawn by report.charts.

    Returns:
        A complete HTML document.
    """
    parts = [
        "<h1>MT-Bench judge agreement report</h1>",
        f'<p class="meta">Generated {_e(report["generated"])} by mtbench-review {_e(report["tool_version"])}. '
        f"{report['counts']['questions']} questions, {report['counts']['answers']} answers, "
        f"{report['counts']['judgments']} verdicts, {report['counts']['ratings']} human ratings. "
        f"Intervals: {report['settings']['bootstrap_resamples']} bootstrap resamples clustered by question, "
        f"95% percentile.</p>",
    ]
    for block in report["judge_human"]:
        parts.append(_judge_section(block, charts.get(block["judge"], [])))
    parts.append(_human_human(report["human_human"]))
    parts.append(_pairwise(report["pairwise"]))
    for block in report["bias"]:
        parts.append(f"<h2>Bias audit: {_e(block['judge'])}</h2>")
        items = block["items"]
        parts.append(
            _table(
                ["Check", "Effect [95% CI]", "p", "Flag", "Finding"],
                [
                    [
                        i["title"],
                        effect(i),
                        p_value(i["p_value"]),
                        "⚑" if i["flag"] else "",
                        i["message"],
                    ]
                    for i in items
                ],
                [i["flag"] for i in items],
                text_cols=(0, 4),
            )
        )
    parts.append("<h2>Verdicts without a rating</h2>")
    parts.append(
        _table(
            ["Judge", "Prompt", "Verdicts", "No rating", "Rate [95% CI]"],
            [
                [
                    r["judge"],
                    r["prompt"],
                    r["n"],
                    r["no_verdict"],
                    estimate("rate", {"value": r["rate"], "ci": r["ci"] or [None, None]}),
                ]
                for r in report["no_verdict"]
            ],
            [r["flag"] for r in report["no_verdict"]],
        )
    )
    # The numbers as data, for tools; a JSON block is never executed, and '<' is escaped so it can't close the tag.
    data = json.dumps(report, ensure_ascii=False).replace("<", "\\u003c")
    parts.append(f'<script type="application/json" id="report-data">{data}</script>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>MT-Bench judge agreement report</title><style>{_CSS}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>\n"
    )


def _judge_section(block: dict[str, Any], charts: list[tuple[str, str]]) -> str:
    """Agreement of one judge with humans: table, breakdowns and charts."""
    rows = block["rows"]
    out = [
        f"<h2>Judge {_e(block['judge'])} vs human reviewers</h2>",
        _table(
            ["Metric", *(f"{r['reviewer']} (n={r['n']})" for r in rows)],
            [
                [METRIC_LABELS[m], *(estimate(m, r["metrics"].get(m)) for r in rows)]
                for m in REPORT_METRICS
            ],
        ),
    ]
    if charts:
        figures = "".join(
            f"<figure>{svg}<figcaption>{_e(caption)}</figcaption></figure>"
            for caption, svg in charts
        )
        out.append(f'<div class="charts">{figures}</div>')
    for field, groups in rows[0]["breakdowns"].items():
        out.append(f"<h3>By {_e(field)}</h3>")
        out.append(
            _table(
                [field.capitalize(), *(METRIC_LABELS[m] for m in BRIEF_METRICS)],
                [
                    [g["group"], *(estimate(m, g["metrics"].get(m)) for m in BRIEF_METRICS)]
                    for g in groups
                ],
            )
        )
    return "".join(out)


def _human_human(hh: dict[str, Any] | None) -> str:
    """Human-human agreement beside judge-human on the same turns."""
    if not hh:
        return "<h2>Human–human agreement</h2><p>No turn has been rated by two reviewers yet.</p>"
    columns = [("Human–human", hh["metrics"], hh["n"])]
    columns += [(f"{s['judge']}–human", s["metrics"], s["n"]) for s in hh["judge_human_same_items"]]
    return (
        f"<h2>Human–human vs judge–human (the paper's comparison)</h2><p>On the {hh['n_turns']} turns rated by "
        f"two or more reviewers ({_e(', '.join(hh['reviewers']))}).</p>"
        + _table(
            ["Metric", *(f"{name} (n={n})" for name, _m, n in columns)],
            [
                [METRIC_LABELS[m], *(estimate(m, metrics.get(m)) for _n, metrics, _c in columns)]
                for m in REPORT_METRICS
            ],
        )
    )


def _pairwise(blocks: list[dict[str, Any]]) -> str:
    """MT-Bench-style pairwise agreement."""
    rows = []
    for b in blocks:
        rows.append(
            [
                f"{b['judge']}–human",
                rate(b["judge_human"]["with_ties"]),
                rate(b["judge_human"]["without_ties"]),
            ]
        )
        rows.append(
            [
                "human–human",
                rate(b["human_human"]["with_ties"]),
                rate(b["human_human"]["without_ties"]),
            ]
        )
    return (
        "<h2>Pairwise agreement derived from scores</h2><p>For each question, turn and pair of models, the "
        "higher-scored answer wins; equal scores tie.</p>"
        + _table(["Comparison", "With ties", "Without ties"], rows)
    )
