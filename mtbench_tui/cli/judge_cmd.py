"""`mtbench-review judge`: options -> a JudgeJob, run in the core; print what happened."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from mtbench_tui.cli import judge_view
from mtbench_tui.cli.common import db_option, fail, handle_errors, open_existing, stderr
from mtbench_tui.core.judge import batch as batch_mode
from mtbench_tui.core.judge.client import Backoff
from mtbench_tui.core.judge.job import OnEvent, run_judge_job
from mtbench_tui.core.judge.job_types import JobSummary, JudgeJob
from mtbench_tui.core.judge.pair_plan import DEFAULT_BASELINE, PairSelection
from mtbench_tui.core.judge.pricing import load_prices
from mtbench_tui.core.judge.runtypes import Event
from mtbench_tui.core.store import Store

EXIT_ITEMS_FAILED = 1
"""Some items got no reply (or the run was declined); rerunning retries them."""
EXIT_INTERRUPTED = 130


def parse_ids(text: str | None) -> tuple[int, ...] | None:
    """'81,83,90-95' -> (81, 83, 90, ..., 95)."""
    if not text:
        return None
    out: list[int] = []
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        try:
            out += list(range(int(low), int(high or low) + 1))
        except ValueError:
            fail(f"--questions: {part!r} is not a question id or a range like 90-95")
    return tuple(out)


def parse_turns(text: str) -> tuple[int, ...]:
    """'1,2' -> (1, 2); anything else is an error."""
    turns = {t.strip() for t in text.split(",") if t.strip()}
    if not turns or not turns <= {"1", "2"}:
        fail(f"--turns: expected 1, 2 or 1,2, got {text!r}")
    return tuple(sorted(int(t) for t in turns))


def pair_selection(
    mode: str, baseline: str | None, pairs: str | None, pair: tuple[str, ...]
) -> PairSelection:
    """--baseline, --pairs all or --pair M1,M2 (only one kind; only in pair mode)."""
    given = [
        name for name, v in (("--baseline", baseline), ("--pairs", pairs), ("--pair", pair)) if v
    ]
    if mode != "pair":
        if given:
            fail(f"{given[0]} needs --mode pair")
        return PairSelection(baseline=DEFAULT_BASELINE)
    if len(given) > 1:
        fail(f"choose one of --baseline, --pairs all and --pair (got {', '.join(given)})")
    explicit = []
    for text in pair:
        models = [m.strip() for m in text.split(",")]
        if len(models) != 2 or not all(models):
            fail(f"--pair: expected MODEL1,MODEL2, got {text!r}")
        explicit.append((models[0], models[1]))
    return PairSelection(
        baseline=None if (pairs or explicit) else (baseline or DEFAULT_BASELINE),
        all_pairs=pairs == "all",
        pairs=tuple(explicit),
    )


@click.command("judge")
@db_option
@click.option("--judge-model", default="gpt-4", show_default=True, help="The judge (as FastChat).")
@click.option("--base-url", help="OpenAI-compatible endpoint. Default: $OPENAI_BASE_URL or OpenAI.")
@click.option("--api-key-env", default="OPENAI_API_KEY", show_default=True, help="Key variable.")
@click.option(
    "--mode",
    type=click.Choice(["single", "pair"]),
    default="single",
    show_default=True,
    help="single: a 1-10 score per turn; pair: FastChat's A/B comparison, both orders.",
)
@click.option(
    "--baseline", help=f"Pair mode: every model against this one (default {DEFAULT_BASELINE})."
)
@click.option("--pairs", type=click.Choice(["all"]), help="Pair mode: every pair of models.")
@click.option(
    "--pair",
    multiple=True,
    metavar="M1,M2",
    help="Pair mode: this comparison (M1 is FastChat's model_1); repeatable.",
)
@click.option(
    "--prompts",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="FastChat judge_prompts.jsonl. Default: mtbench-review's own prompts.",
)
@click.option("--prompt-family", help="Family within --prompts (default single-v1 / pair-v2).")
@click.option("--models", help="Comma-separated models to judge (default: all).")
@click.option("--questions", help="Question ids, e.g. 81,83,90-95 (default: all).")
@click.option("--turns", default="1,2", show_default=True, help="Turns to judge.")
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(1, 1024))
@click.option(
    "--max-requests", type=click.IntRange(0), help="Send at most this many; rerun for more."
)
@click.option("--temperature", default=0.0, show_default=True)
@click.option("--max-tokens", default=2048, show_default=True)
@click.option("--timeout", default=120.0, show_default=True, help="Seconds per request.")
@click.option("--max-retries", default=6, show_default=True, help="Retries per request.")
@click.option("--strict", is_flag=True, help="A rating outside 1-10 counts as no verdict.")
@click.option(
    "--reference", "reference_source", help="Reference answers (default: judge's, gpt-4)."
)
@click.option(
    "--prices",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='JSON of {"model": [input, output]} USD per 1M tokens.',
)
@click.option("--price", multiple=True, metavar="MODEL=IN,OUT", help="Override a model's price.")
@click.option(
    "--confirm-above", default=5.0, show_default=True, help="Ask before spending more (USD)."
)
@click.option("--dry-run", is_flag=True, help="Show what would be sent and its cost; send nothing.")
@click.option("--yes", is_flag=True, help="Don't ask for confirmation.")
@click.option(
    "--force", is_flag=True, help="Judge again what this judge and prompt already judged."
)
@click.option("--refresh-cache", is_flag=True, help="Send requests even when a reply is cached.")
@click.option("--batch", "use_batch", is_flag=True, help="OpenAI Batch API (half price, ~24 h).")
@click.option("--collect", is_flag=True, help="Import the results of submitted batches.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan or summary as JSON.")
@handle_errors
def judge_cmd(db_path: Path | None, **o: Any) -> None:
    """Judge the stored answers with any model behind an OpenAI-compatible API.

    Builds MT-Bench's judge messages exactly as FastChat's gen_judgment.py does (with
    --prompts judge_prompts.jsonl) or with mtbench-review's own prompts, single-answer
    grading or pairwise comparison in both answer orders. Runs with bounded concurrency
    and retries, caches every reply (a repeated request costs nothing) and records a
    reason for every failure. A killed run resumes where it stopped. The key is read
    from the environment only. Exits 1 when any item failed.

    \b
    Examples:
      mtbench-review judge --judge-model gpt-4o --dry-run
      mtbench-review judge --judge-model gpt-4 --prompts judge_prompts.jsonl --concurrency 16
      mtbench-review judge --mode pair --pair phi-3,phi-3-dpo --prompts judge_prompts.jsonl
      mtbench-review judge --mode pair --pairs all --turns 1
      mtbench-review judge --judge-model qwen2.5:7b --base-url http://localhost:11434/v1
      mtbench-review judge --judge-model gpt-4o --batch --yes   # later:  --collect
    """
    store = open_existing(db_path, write=True)
    job = _job(o)
    if o["collect"]:
        _collect(store, job, o["as_json"])
        return
    console = _Console(job, yes=o["yes"], limit=o["confirm_above"])
    summary = console.run(store)
    _finish(summary, job, o["as_json"])


def _job(o: dict[str, Any]) -> JudgeJob:
    """The options as a JudgeJob (one-line errors for bad values)."""
    try:
        prices = load_prices(o["prices"], o["price"])
    except ValueError as exc:
        fail(str(exc))
    return JudgeJob(
        judge_model=o["judge_model"],
        base_url=o["base_url"],
        api_key_env=o["api_key_env"],
        mode=o["mode"],
        prompts_file=o["prompts"],
        prompt_family=o["prompt_family"],
        pairs=pair_selection(o["mode"], o["baseline"], o["pairs"], o["pair"]),
        models=tuple(m.strip() for m in o["models"].split(",")) if o["models"] else None,
        questions=parse_ids(o["questions"]),
        turns=parse_turns(o["turns"]),
        concurrency=o["concurrency"],
        timeout=o["timeout"],
        backoff=Backoff(max_retries=o["max_retries"]),
        strict=o["strict"],
        temperature=o["temperature"],
        max_tokens=o["max_tokens"],
        force=o["force"],
        refresh_cache=o["refresh_cache"],
        reference_source=o["reference_source"],
        max_requests=o["max_requests"],
        batch=o["use_batch"],
        dry_run=o["dry_run"],
        prices=prices,
    )


class _Console:
    """The terminal side of a run: shows the plan, asks when it is costly, drives the progress."""

    def __init__(self, job: JudgeJob, yes: bool, limit: float) -> None:
        self.job = job
        self.yes = yes
        self.limit = limit
        self.stack = ExitStack()
        self.handler: OnEvent | None = None

    def run(self, store: Store) -> JobSummary:
        """Run the job in the core; Ctrl+C stops it, keeping every verdict already stored."""
        with self.stack:
            try:
                return asyncio.run(
                    run_judge_job(store, self.job, on_plan=self.on_plan, on_event=self.on_event)
                )
            except ValueError as exc:
                fail(str(exc))
            except KeyboardInterrupt:
                self.stack.close()
                stderr().print(
                    "Interrupted: finished verdicts are saved; "
                    "run the same command again to continue."
                )
                raise SystemExit(EXIT_INTERRUPTED) from None
        raise AssertionError("unreachable")

    def on_plan(self, planned: JobSummary) -> bool:
        """Show the plan; ask first if it is expensive; start the progress bar."""
        judge_view.show_plan(planned, self.job.judge_model, self.job.batch, as_json=False)
        if not self._confirmed(planned):
            return False
        if not self.job.batch:
            total = len(planned.plan.items) + len(planned.plan.cached)
            self.handler = self.stack.enter_context(judge_view.progress_bar(total))
        return True

    def on_event(self, event: Event) -> None:
        """Advance the progress bar."""
        if self.handler is not None:
            self.handler(event)

    def _confirmed(self, planned: JobSummary) -> bool:
        """Ask before an expensive run (or a large one of unknown price)."""
        e = planned.estimate
        expensive = e.cost_usd is not None and e.cost_usd > self.limit
        large_unknown = not self.job.prices.knows(self.job.judge_model) and e.requests > 1000
        if self.yes or not (expensive or large_unknown):
            return True
        what = (
            f"about ${e.cost_usd:,.2f}"
            if e.cost_usd is not None
            else f"{e.requests} requests at an unknown price"
        )
        return click.confirm(
            f"This run will cost {what} on {self.job.judge_model}. Continue?",
            default=False,
            err=True,
        )


def _finish(summary: JobSummary, job: JudgeJob, as_json: bool) -> None:
    """Print what happened; exit non-zero when the run was declined or any item failed."""
    if summary.status == "planned":
        judge_view.show_plan(summary, job.judge_model, job.batch, as_json)
        return
    if summary.status == "declined":
        raise SystemExit(EXIT_ITEMS_FAILED)
    if summary.status == "nothing-to-do":
        judge_view.show_plan(summary, job.judge_model, job.batch, as_json=False)
        if as_json:
            judge_view.show_summary(summary, as_json=True)
        what = "comparison" if job.mode == "pair" else "item"
        stderr().print(
            f"Nothing to judge: every selected {what} already has this judge's verdict "
            "(use --force)."
        )
        return
    if job.batch:
        judge_view.show_batch(summary, job.judge_model, as_json)
        return
    judge_view.show_summary(summary, as_json)
    if not summary.complete:
        raise SystemExit(EXIT_ITEMS_FAILED)


def _collect(store: Store, job: JudgeJob, as_json: bool) -> None:
    """Import finished batches; exit non-zero if any request in them failed."""
    try:
        results = asyncio.run(batch_mode.collect(store, job.run_config(), job.prices))
    except ValueError as exc:
        fail(str(exc))
    judge_view.show_collected(results, as_json)
    if any(r.failed for r in results):
        raise SystemExit(EXIT_ITEMS_FAILED)
