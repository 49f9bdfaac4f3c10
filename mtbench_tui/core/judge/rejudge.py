"""Re-judge one conversation on demand (the review screen's 'j' key): both turns, fresh requests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mtbench_tui.core.judge.plan import PlanOptions, make_plan
from mtbench_tui.core.judge.pricing import PriceTable
from mtbench_tui.core.judge.prompts import builtin_prompts, load_prompt_file
from mtbench_tui.core.judge.runner import Event, JudgeRun, RunConfig, Totals
from mtbench_tui.core.models import ItemKey
from mtbench_tui.core.store import Store


@dataclass(frozen=True)
class JudgeSettings:
    """Which judge the app calls, and where."""

    judge_model: str
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    prompts: Path | None = None
    endpoint: str = "https://api.openai.com/v1"
    timeout: float = 120.0


@dataclass(frozen=True)
class RejudgeResult:
    """What a re-judge did: totals, worker errors, and the judge label the new verdicts are stored under."""

    totals: Totals
    errors: list[str]
    judge: str | None


def rejudge(
    store: Store, item: ItemKey, settings: JudgeSettings, on_event: Callable[[Event], None]
) -> RejudgeResult:
    """Judge both turns of one answer again with fresh requests, replacing this judge's verdicts.

    Raises:
        ValueError: no API key is set for a non-local endpoint, or the prompts file is bad.
    """
    prompts = load_prompt_file(settings.prompts) if settings.prompts else builtin_prompts()
    options = PlanOptions(
        settings.judge_model,
        settings.endpoint,
        models=[item.model],
        questions=[item.question_id],
        force=True,
        refresh_cache=True,
    )
    plan = make_plan(store, prompts, options)
    config = RunConfig(
        settings.judge_model,
        settings.base_url,
        settings.api_key_env,
        concurrency=2,
        timeout=settings.timeout,
    )
    path = store.path
    if path is None:
        raise ValueError("re-judging needs a database file")
    run_id = store.judging.start_run(
        settings.judge_model,
        prompts.family,
        settings.endpoint,
        {"rejudge": f"Q{item.question_id} {item.model}"},
        "rejudge",
    )
    run = JudgeRun(path, config, run_id, PriceTable(), plan.items, [], processes=1)
    run.start()
    for event in run.events():
        on_event(event)
    store.judging.finish_run(run_id, store.judging.run_usage(run_id))
    label = plan.items[0].judge if plan.items else None
    return RejudgeResult(run.totals, run.errors, label)
