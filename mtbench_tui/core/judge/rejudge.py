"""Re-judge what the reviewer is looking at (the j key): fresh requests, the same core job."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from mtbench_tui.core.judge.job import OnEvent, load_prompts, run_judge_job
from mtbench_tui.core.judge.job_types import JobSummary, JudgeJob
from mtbench_tui.core.judge.pair_plan import PairSelection
from mtbench_tui.core.judge.pair_prompts import pair_judge_label
from mtbench_tui.core.models import ItemKey
from mtbench_tui.core.store import Store

REJUDGE_CONCURRENCY = 2
"""Both turns (or both orders) at once; never more than a handful of requests."""


@dataclass(frozen=True, kw_only=True)
class JudgeSettings:
    """Which judge the app calls, and where (the endpoint follows from base_url)."""

    judge_model: str
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    prompts: Path | None = None
    timeout: float = 120.0

    def job(self) -> JudgeJob:
        """A re-judge job for this judge: fresh requests, replacing its earlier verdicts.

        Returns:
            The job, selecting everything; callers narrow it with ``dataclasses.replace``.
        """
        return JudgeJob(
            judge_model=self.judge_model,
            base_url=self.base_url,
            api_key_env=self.api_key_env,
            prompts_file=self.prompts,
            timeout=self.timeout,
            concurrency=REJUDGE_CONCURRENCY,
            processes=1,
            force=True,
            refresh_cache=True,
            purpose="rejudge",
        )


async def rejudge(
    store: Store, item: ItemKey, settings: JudgeSettings, on_event: OnEvent | None = None
) -> JobSummary:
    """Judge both turns of one answer again, replacing this judge's verdicts on them.

    Runs on the caller's event loop (database work on a thread of its own), so the app
    awaits it in an async worker.

    Args:
        store: the app's store.
        item: the conversation (question and model).
        settings: the judge.
        on_event: sees each turn's outcome.

    Returns:
        The run's summary; ``summary.judge`` is the label the verdicts are stored under.

    Raises:
        ValueError: no API key for a non-local endpoint.
        InputError: a bad prompts file.
    """
    job = replace(
        settings.job(),
        models=(item.model,),
        questions=(item.question_id,),
        note=f"Q{item.question_id} {item.model}",
    )
    return await run_judge_job(store, job, on_event=on_event)


async def rejudge_pair(
    store: Store,
    question_id: int,
    model_1: str,
    model_2: str,
    settings: JudgeSettings,
    on_event: OnEvent | None = None,
) -> JobSummary:
    """Judge one comparison again in both orders and both turns, replacing this judge's verdicts.

    Args:
        store: the app's store.
        question_id: the question.
        model_1: FastChat's model_1 (shown as A in g1).
        model_2: the other model.
        settings: the judge.
        on_event: sees each order's outcome.

    Returns:
        The run's summary; ``summary.totals.comparisons`` counts the turns stored.

    Raises:
        ValueError: no API key, or a model without an answer.
        InputError: a bad prompts file.
    """
    job = replace(
        settings.job(),
        mode="pair",
        pairs=PairSelection(pairs=((model_1, model_2),)),
        questions=(question_id,),
        note=f"Q{question_id} {model_1} vs {model_2}",
    )
    return await run_judge_job(store, job, on_event=on_event)


def pair_judge_of(settings: JudgeSettings) -> str:
    """The label a pairwise re-judge stores its verdicts under (judge model and prompt family).

    Args:
        settings: the judge.

    Returns:
        For example ``gpt-4`` (FastChat's pair prompts) or ``gpt-4/mtr-pair-v1``.

    Raises:
        InputError: a bad prompts file.
    """
    prompts = load_prompts(replace(settings.job(), mode="pair"))
    return pair_judge_label(settings.judge_model, prompts.family)


def rejudge_order(
    store: Store,
    question_id: int,
    models: tuple[str, str],
    settings: JudgeSettings,
    compared: str | None = None,
) -> tuple[str, str]:
    """The model order to re-judge a comparison in (FastChat's model_1 first).

    The order of the verdict this judge already has on the comparison, so a re-judge
    replaces it like for like; else the order of the compared judge's verdict; else
    ``models`` as given.

    Args:
        store: the store.
        question_id: the question.
        models: the two models, in any order.
        settings: the judge that will re-judge.
        compared: the pair judge the reviewer compares votes with, if any.

    Returns:
        (model_1, model_2).

    Raises:
        InputError: a bad prompts file.
    """
    for judge in filter(None, (pair_judge_of(settings), compared)):
        for turn in (1, 2):
            found = store.judging.pairs.get(question_id, *models, turn, judge)
            if found is not None:
                return found.model_1, found.model_2
    return models
