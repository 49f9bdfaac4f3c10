"""How `judge` shows a plan, its progress and its summary (text from data stays inert)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from mtbench_tui.cli.common import stderr, stdout
from mtbench_tui.core.judge.batch import Collected
from mtbench_tui.core.judge.job import OnEvent
from mtbench_tui.core.judge.job_types import JobSummary
from mtbench_tui.core.judge.runtypes import Event
from mtbench_tui.core.textsafe import visible_controls as shown


def plan_json(planned: JobSummary, judge_model: str, batch: bool) -> dict[str, Any]:
    """The plan as `judge --dry-run --json` prints it."""
    plan = planned.plan
    return {
        **planned.estimate.to_json(),
        "mode": planned.mode,
        "judge": planned.judge,
        "judge_model": judge_model,
        "prompt_family": planned.family,
        "endpoint": planned.endpoint,
        "batch": batch,
        "comparisons": plan.comparisons,
        "one_sided": plan.one_sided,
        "over_limit": plan.over_limit,
        "no_reference_items": list(plan.no_reference),
    }


def show_plan(planned: JobSummary, judge_model: str, batch: bool, as_json: bool) -> None:
    """What the run will do, and roughly what it will cost."""
    if as_json:
        click.echo(json.dumps(plan_json(planned, judge_model, batch), indent=2))
        return
    e, plan = planned.estimate, planned.plan
    title = Text(f"Judge plan: {shown(planned.judge)} ({shown(planned.family)} prompts) at ")
    title.append(shown(planned.endpoint))
    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    pair = planned.mode == "pair"
    rows: list[tuple[str, object]] = []
    if pair:
        rows.append(("comparisons to judge (two orders each)", plan.comparisons))
    rows += [
        ("requests to send", e.requests),
        ("cached replies to reuse (free, not sent)", e.cached),
        ("already judged (skipped)" + (": comparisons" if pair else ""), e.already_judged),
        ("no reference answer (skipped)", e.no_reference),
        ("left for a later run (--max-requests)", plan.over_limit),
        ("estimated prompt tokens", f"{e.prompt_tokens:,}"),
        ("estimated completion tokens", f"{e.completion_tokens:,}"),
        ("estimated cost" + (" (batch, half price)" if batch else ""), _cost_text(e)),
    ]
    if pair and plan.one_sided:
        rows.insert(4, ("questions only one model answered (skipped)", plan.one_sided))
    for label, value in rows:
        table.add_row(label, str(value))
    stderr().print(table)


def _cost_text(e: Any) -> str:
    """'$1.23 (at most $4.56)' or why there is no figure."""
    if e.cost_usd is None:
        return "unknown price (see --price)"
    return f"${e.cost_usd:,.2f} (at most ${e.max_cost_usd:,.2f})"


@contextmanager
def progress_bar(total: int) -> Iterator[OnEvent]:
    """A live progress bar on stderr; yields the event handler that advances it."""
    columns = (
        TextColumn("judging"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[green]{task.fields[ok]} ok"),
        TextColumn("[red]{task.fields[failed]} failed"),
        TextColumn("{task.fields[rate]:.1f}/s"),
        TimeRemainingColumn(),
    )
    counts = {"ok": 0, "failed": 0}
    start = time.perf_counter()
    with Progress(*columns, console=stderr(), transient=False) as progress:
        task = progress.add_task("judging", total=total, ok=0, failed=0, rate=0.0)

        def on_event(event: Event) -> None:
            if event.kind == "locked":
                progress.console.print(
                    "waiting: another program holds the database's write lock;"
                    " replies are kept and saved when it is released",
                    markup=False,
                )
            if event.kind in ("retry", "locked", "unlocked"):
                return
            counts["failed" if event.kind == "failed" else "ok"] += 1
            rate = sum(counts.values()) / max(time.perf_counter() - start, 1e-9)
            progress.update(task, advance=1, ok=counts["ok"], failed=counts["failed"], rate=rate)

        yield on_event


def show_summary(summary: JobSummary, as_json: bool) -> None:
    """What was sent, what was reused, what it cost, and why anything failed (this run only)."""
    if as_json:
        click.echo(json.dumps(summary.to_json(), indent=2))
        return
    out = stdout()
    for line in summary_lines(summary):
        out.print(line, soft_wrap=True)


def summary_lines(s: JobSummary) -> list[Text]:
    """The summary as plain lines; names and reasons from data are inert."""
    t = s.totals
    lines = [
        Text(f"Closed run {r} as aborted: its process ended without finishing it.")
        for r in s.aborted_runs
    ]
    head = Text(f"Run {s.run_id} ({shown(s.judge)}), {s.seconds:.1f}s: ")
    head.append(
        f"sent {t.sent} request{'s' * (t.sent != 1)} to the judge: {t.ok} with a verdict, "
        f"{t.no_verdict} without one, {t.failed} failed ({t.retries} retries)."
    )
    lines.append(head)
    if t.cached:
        lines.append(
            Text(
                f"Reused {t.cached} cached repl{'ies' if t.cached != 1 else 'y'} to identical "
                "earlier requests (not sent, no cost) and stored their verdicts again."
            )
        )
    if s.mode == "pair":
        lines.append(Text(f"Stored {t.comparisons} comparisons judged in both orders."))
    cost = f"${t.cost_usd:,.4f}" if t.priced else "unknown (no price for this model)"
    lines.append(Text(f"Tokens {t.prompt_tokens:,} in / {t.completion_tokens:,} out; cost {cost}."))
    if t.cached and not t.sent:
        lines.append(Text("Nothing was sent; add --refresh-cache to ask the judge again."))
    for f in s.failures[:20]:
        lines.append(Text(f"  failed: {shown(f.label())}: {shown(f.reason)}"))
    if s.failures:
        lines.append(Text("Failed items are retried by running the same command again."))
    for error in s.errors:
        lines.append(Text("worker error: ", style="red") + Text(shown(error)))
    return lines


def show_batch(summary: JobSummary, judge_model: str, as_json: bool) -> None:
    """Where the submitted batch is, and how to collect it."""
    info = summary.batch
    if as_json:
        click.echo(json.dumps(summary.to_json()["batch"] or {}, indent=2))
        return
    if info is None:
        stderr().print("Every request was cached; nothing to submit.")
        return
    stdout().print(
        Text(
            f"Submitted batch {shown(info.batch_id)} ({info.requests} requests, file "
            f"{shown(info.file)}). Collect the results later with: mtbench-review judge "
            f"--collect --judge-model {shown(judge_model)}"
        ),
        soft_wrap=True,
    )


def show_collected(results: list[Collected], as_json: bool) -> None:
    """What --collect imported."""
    if as_json:
        click.echo(json.dumps([r.__dict__ | {"notes": list(r.notes)} for r in results], indent=2))
        return
    if not results:
        stdout().print("No submitted batches are waiting.")
    for r in results:
        stdout().print(
            Text(
                f"batch {shown(r.batch_id)}: {shown(r.status)}; {r.ok} verdicts, {r.no_verdict} "
                f"without a rating, {r.failed} failed, cost ${r.cost_usd:,.4f}. "
                + shown(" ".join(r.notes))
            )
        )
