"""`mtbench-review judge`: run an LLM judge over the stored answers through any OpenAI-compatible endpoint."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from mtbench_tui.cli.common import (
    db_option,
    fail,
    handle_errors,
    open_existing,
    resolve_db,
    stderr,
    stdout,
)
from mtbench_tui.core.judge import batch as batch_mode
from mtbench_tui.core.judge.client import Backoff
from mtbench_tui.core.judge.plan import Plan, PlanOptions, make_plan
from mtbench_tui.core.judge.pricing import load_prices
from mtbench_tui.core.judge.prompts import PromptSet, builtin_prompts, load_prompt_file
from mtbench_tui.core.judge.runner import JudgeRun, RunConfig, Totals
from mtbench_tui.core.textsafe import inert

DEFAULT_ENDPOINT = "https://api.openai.com/v1"


def endpoint_of(base_url: str | None) -> str:
    """The endpoint as recorded and cached: scheme, host and path only (never credentials or a query)."""
    url = base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_ENDPOINT
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


def parse_ids(text: str | None) -> list[int] | None:
    """'81,83,90-95' -> [81, 83, 90, ..., 95]."""
    if not text:
        return None
    out: list[int] = []
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        try:
            out += list(range(int(low), int(high or low) + 1))
        except ValueError:
            fail(f"--questions: {part!r} is not a question id or a range like 90-95")
    return out


def prompt_set(prompts: Path | None, family: str | None) -> PromptSet:
    """FastChat's prompts from a file, or the built-in set."""
    return load_prompt_file(prompts, family) if prompts else builtin_prompts()


@click.command("judge")
@db_option
@click.option(
    "--judge-model", required=True, help="The judge, e.g. gpt-4o, or a model your server serves."
)
@click.option(
    "--base-url",
    help="OpenAI-compatible endpoint (vLLM, Ollama, ...). Default: $OPENAI_BASE_URL or OpenAI.",
)
@click.option(
    "--api-key-env",
    default="OPENAI_API_KEY",
    show_default=True,
    help="Environment variable with the key.",
)
@click.option(
    "--prompts",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="FastChat judge_prompts.jsonl. Default: mtbench-review's own prompt set (mtr-v1).",
)
@click.option("--prompt-family", help="Family within --prompts (default single-v1).")
@click.option("--models", help="Comma-separated models to judge (default: all).")
@click.option("--questions", help="Question ids, e.g. 81,83,90-95 (default: all).")
@click.option("--turns", default="1,2", show_default=True, help="Turns to judge.")
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(1, 1024))
@click.option(
    "--max-requests",
    type=click.IntRange(0),
    help="Send at most this many new requests; rerun for more.",
)
@click.option("--temperature", default=0.0, show_default=True)
@click.option("--max-tokens", default=2048, show_default=True)
@click.option("--timeout", default=120.0, show_default=True, help="Seconds per request.")
@click.option(
    "--max-retries",
    default=6,
    show_default=True,
    help="Retries per request (429, 5xx, timeouts ...).",
)
@click.option("--strict", is_flag=True, help="A rating outside 1-10 counts as no verdict.")
@click.option(
    "--reference",
    "reference_source",
    help="Reference answers to use (default: the judge's, else gpt-4).",
)
@click.option(
    "--prices",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='JSON of {"model": [input, output]} USD per 1M tokens.',
)
@click.option(
    "--price",
    multiple=True,
    metavar="MODEL=IN,OUT",
    help="Override one model's price (repeatable).",
)
@click.option(
    "--confirm-above",
    default=5.0,
    show_default=True,
    help="Ask before spending more than this (USD).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show what would be requested and its estimated cost; send nothing.",
)
@click.option("--yes", is_flag=True, help="Don't ask for confirmation.")
@click.option(
    "--force", is_flag=True, help="Judge again items this judge and prompt already judged."
)
@click.option(
    "--batch",
    "use_batch",
    is_flag=True,
    help="Submit through the OpenAI Batch API (half price, ~24 h).",
)
@click.option("--collect", is_flag=True, help="Import the results of submitted batches.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan or summary as JSON.")
@handle_errors
def judge_cmd(
    db_path: Path | None,
    judge_model: str,
    base_url: str | None,
    api_key_env: str,
    prompts: Path | None,
    prompt_family: str | None,
    models: str | None,
    questions: str | None,
    turns: str,
    concurrency: int,
    max_requests: int | None,
    temperature: float,
    max_tokens: int,
    timeout: float,
    max_retries: int,
    strict: bool,
    reference_source: str | None,
    prices: Path | None,
    price: tuple[str, ...],
    confirm_above: float,
    dry_run: bool,
    yes: bool,
    force: bool,
    use_batch: bool,
    collect: bool,
    as_json: bool,
) -> None:
    """Judge the stored answers with any model behind an OpenAI-compatible API.

    Builds MT-Bench's judge messages exactly as FastChat does (with --prompts
    judge_prompts.jsonl) or with mtbench-review's own prompts, runs them with bounded
    concurrency and retries, caches every response (a repeated run costs nothing),
    and records a reason for every failure. A killed run resumes where it stopped.
    The API key is read from the environment only.

    \b
    Examples:
      mtbench-review judge --judge-model gpt-4o --dry-run
      mtbench-review judge --judge-model gpt-4 --prompts judge_prompts.jsonl --concurrency 16
      mtbench-review judge --judge-model qwen2.5:7b --base-url http://localhost:11434/v1
      mtbench-review judge --judge-model gpt-4o --batch --yes   # later:  --collect
    """
    store = open_existing(db_path, write=True)
    try:
        table = load_prices(prices, price)
    except ValueError as exc:
        fail(str(exc))
    endpoint = endpoint_of(base_url)
    config = RunConfig(
        judge_model,
        base_url or os.environ.get("OPENAI_BASE_URL"),
        api_key_env,
        concurrency,
        timeout,
        Backoff(max_retries=max_retries),
        strict,
    )
    if collect:
        _collect(store, config, table, as_json)
        return
    turn_list = tuple(sorted({int(t) for t in turns.split(",") if t.strip() in ("1", "2")})) or (
        1,
        2,
    )
    options = PlanOptions(
        judge_model,
        endpoint,
        [m.strip() for m in models.split(",")] if models else None,
        parse_ids(questions),
        turn_list,
        temperature,
        max_tokens,
        force,
        False,
        reference_source,
        max_requests,
    )
    pset = prompt_set(prompts, prompt_family)
    plan = make_plan(store, pset, options)
    estimate = plan.estimate(table, judge_model, batch=use_batch)
    _show_plan(plan, estimate, pset, judge_model, endpoint, use_batch, as_json and dry_run)
    if dry_run:
        return
    if not plan.items and not plan.cached:
        stderr().print(
            "Nothing to judge: every selected item already has this judge's verdict (use --force)."
        )
        return
    _confirm(estimate, confirm_above, yes, judge_model, table.knows(judge_model))
    params = {
        "temperature": temperature,
        "max_tokens": max_tokens,
        "concurrency": concurrency,
        "strict": strict,
        "turns": list(turn_list),
        "force": force,
        "max_requests": max_requests,
    }
    run_id = store.judging.start_run(
        judge_model, pset.family, endpoint, params, "batch" if use_batch else "online"
    )
    if use_batch:
        _submit_batch(store, plan, config, run_id, table, as_json)
        return
    totals, errors, seconds = _run_online(resolve_db(db_path), config, run_id, table, plan)
    summary = {
        **store.judging.run_usage(run_id),
        "seconds": round(seconds, 3),
        "errors": errors,
        "cost_known": totals.priced,
    }
    store.judging.finish_run(run_id, summary)
    _show_summary(store, run_id, totals, summary, as_json)


def _show_plan(
    plan: Plan,
    estimate: dict[str, Any],
    pset: PromptSet,
    judge_model: str,
    endpoint: str,
    use_batch: bool,
    as_json: bool,
) -> None:
    """What the run will do, and roughly what it will cost."""
    if as_json:
        click.echo(
            json.dumps(
                {
                    **estimate,
                    "judge_model": judge_model,
                    "prompt_family": pset.family,
                    "endpoint": endpoint,
                    "batch": use_batch,
                    "over_limit": plan.over_limit,
                    "no_reference_items": plan.no_reference,
                },
                indent=2,
            )
        )
        return
    cost = estimate["cost_usd"]
    table = Table(
        title=f"Judge plan: {inert(judge_model)} ({pset.family} prompts) at {inert(endpoint)}",
        title_justify="left",
        show_header=False,
    )
    table.add_column("what")
    table.add_column("count", justify="right")
    rows = [
        ("requests to send", estimate["requests"]),
        ("cached responses (free)", estimate["cached"]),
        ("already judged (skipped)", estimate["already_judged"]),
        ("no reference answer (skipped)", estimate["no_reference"]),
        ("left for a later run (--max-requests)", plan.over_limit),
        ("estimated prompt tokens", f"{estimate['prompt_tokens']:,}"),
        ("estimated completion tokens", f"{estimate['completion_tokens']:,}"),
        (
            "estimated cost" + (" (batch, half price)" if use_batch else ""),
            "unknown price (see --price)"
            if cost is None
            else f"${cost:,.2f} (at most ${estimate['max_cost_usd']:,.2f})",
        ),
    ]
    for label, value in rows:
        table.add_row(label, str(value))
    stderr().print(table)


def _confirm(
    estimate: dict[str, Any], limit: float, yes: bool, judge_model: str, priced: bool
) -> None:
    """Ask before an expensive run (or a large one of unknown price)."""
    cost = estimate["cost_usd"]
    expensive = cost is not None and cost > limit
    large_unknown = not priced and estimate["requests"] > 1000
    if yes or not (expensive or large_unknown):
        return
    what = (
        f"about ${cost:,.2f}"
        if cost is not None
        else f"{estimate['requests']} requests at an unknown price"
    )
    if not click.confirm(
        f"This run will cost {what} on {judge_model}. Continue?", default=False, err=True
    ):
        raise SystemExit(1)


def _run_online(
    db: Path, config: RunConfig, run_id: int, table: Any, plan: Plan
) -> tuple[Totals, list[str], float]:
    """Run with a live progress bar; Ctrl+C stops the workers and keeps what finished."""
    run = JudgeRun(db, config, run_id, table, plan.items, plan.cached)
    try:
        run.start()
    except ValueError as exc:
        fail(str(exc))
    start = time.perf_counter()
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
    try:
        with Progress(*columns, console=stderr(), transient=False) as progress:
            task = progress.add_task(
                "judging", total=len(plan.items) + len(plan.cached), ok=0, failed=0, rate=0.0
            )
            for event in run.events():
                if event.kind == "retry":
                    continue
                counts["failed" if event.kind == "failed" else "ok"] += 1
                rate = sum(counts.values()) / max(time.perf_counter() - start, 1e-9)
                progress.update(
                    task, advance=1, ok=counts["ok"], failed=counts["failed"], rate=rate
                )
    except KeyboardInterrupt:
        run.stop()
        stderr().print(
            "Interrupted: finished verdicts are saved; run the same command again to continue."
        )
        raise SystemExit(130) from None
    return run.totals, run.errors, time.perf_counter() - start


def _show_summary(
    store: Any, run_id: int, totals: Totals, summary: dict[str, Any], as_json: bool
) -> None:
    """Counts, tokens, cost, and the reason of each failure."""
    failures = store.judging.failures()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "run_id": run_id,
                    "ok": totals.ok,
                    "no_verdict": totals.no_verdict,
                    "cached": totals.cached,
                    "failed": totals.failed,
                    "retries": totals.retries,
                    **summary,
                    "failures": failures[:100],
                },
                indent=2,
            )
        )
        return
    cost = f"${totals.cost_usd:,.4f}" if totals.priced else "unknown (no price for this model)"
    out = stdout()
    out.print(
        f"Run {run_id}: {totals.ok} verdicts, {totals.no_verdict} without a rating, {totals.cached} from cache, "
        f"{totals.failed} failed, {totals.retries} retries in {summary['seconds']:.1f}s. Tokens "
        f"{totals.prompt_tokens:,} in / {totals.completion_tokens:,} out; cost {cost}."
    )
    for f in failures[:20]:
        out.print(
            f"  failed: Q{f['question_id']} {inert(f['model'])} turn {f['turn']}: {inert(f['reason'])}"
        )
    if totals.failed:
        out.print("Failed items are retried by running the same command again.")
    for error in summary["errors"]:
        out.print(f"[red]worker error:[/] {inert(error)}")


def _submit_batch(
    store: Any, plan: Plan, config: RunConfig, run_id: int, table: Any, as_json: bool
) -> None:
    """Submit the uncached requests as one batch; cached ones are recorded at once."""
    if plan.cached:
        run = JudgeRun(Path(str(store.path)), config, run_id, table, [], plan.cached, processes=1)
        run.start()
        list(run.events())
    if not plan.items:
        stderr().print("Every request was cached; nothing to submit.")
        return
    folder = Path(str(store.path)).parent / "batches"
    try:
        info = asyncio.run(batch_mode.submit(store, plan.items, config, run_id, folder))
    except ValueError as exc:
        fail(str(exc))
    store.judging.finish_run(run_id, {"batch": info})
    if as_json:
        click.echo(json.dumps(info, indent=2))
    else:
        stdout().print(
            f"Submitted batch {info['batch_id']} ({info['requests']} requests, file {info['file']}). "
            "Collect the results later with: mtbench-review judge --collect --judge-model "
            f"{inert(config.judge_model)}",
            soft_wrap=True,
        )


def _collect(store: Any, config: RunConfig, table: Any, as_json: bool) -> None:
    """Import finished batches."""
    try:
        results = asyncio.run(batch_mode.collect(store, config, table))
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in results], indent=2))
        return
    if not results:
        stdout().print("No submitted batches are waiting.")
    for r in results:
        stdout().print(
            f"batch {r.batch_id}: {r.status}; {r.ok} verdicts, {r.no_verdict} without a rating, "
            f"{r.failed} failed, cost ${r.cost_usd:,.4f}. {' '.join(r.notes)}"
        )
