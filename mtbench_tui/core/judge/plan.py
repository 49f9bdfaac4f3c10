"""Which verdicts a judge run needs: skip what is judged, note what is cached, build requests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mtbench_tui.core.judge.pricing import PriceTable, estimate_tokens
from mtbench_tui.core.judge.prompts import PromptSet
from mtbench_tui.core.models import Answer, Question, ReferenceAnswer, judge_label
from mtbench_tui.core.store import Store
from mtbench_tui.core.workitems import WorkItem, cache_key, request_body

EXPECTED_COMPLETION_TOKENS = 300
"""A typical MT-Bench judgment is a paragraph of explanation and a rating."""


@dataclass(frozen=True)
class Estimate:
    """Token and cost estimate of a plan's uncached requests."""

    requests: int
    cached: int
    already_judged: int
    no_reference: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    max_cost_usd: float | None

    def to_json(self) -> dict[str, Any]:
        """The estimate as JSON-ready values."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class Plan:
    """The items to request, the items a cached reply answers, and what was left out and why."""

    items: tuple[WorkItem, ...] = ()
    cached: tuple[WorkItem, ...] = ()
    already_judged: int = 0
    """Items (comparisons, in pair mode) skipped because this judge has a verdict."""
    no_reference: tuple[str, ...] = ()
    over_limit: int = 0
    comparisons: int = 0
    """Pair mode: comparisons planned (each is two requests, one per order)."""
    one_sided: int = 0
    """Pair mode: questions only one of a pair's models answered."""

    def estimate(self, prices: PriceTable, judge_model: str, batch: bool = False) -> Estimate:
        """Token and cost estimate for the uncached items.

        Args:
            prices: the price table.
            judge_model: the judge.
            batch: Batch API prices.

        Returns:
            The estimate.
        """
        prompt = sum(
            estimate_tokens("".join(m["content"] for m in i.request["messages"]))
            for i in self.items
        )
        completion = EXPECTED_COMPLETION_TOKENS * len(self.items)
        worst = sum(int(i.request["max_tokens"]) for i in self.items)
        return Estimate(
            requests=len(self.items),
            cached=len(self.cached),
            already_judged=self.already_judged,
            no_reference=len(self.no_reference),
            prompt_tokens=prompt,
            completion_tokens=completion,
            cost_usd=prices.cost(judge_model, prompt, completion, batch),
            max_cost_usd=prices.cost(judge_model, prompt, worst, batch),
        )


@dataclass(frozen=True, kw_only=True)
class PlanOptions:
    """What to judge and how to ask."""

    judge_model: str
    endpoint: str
    models: list[str] | None = None
    questions: list[int] | None = None
    turns: tuple[int, ...] = (1, 2)
    temperature: float = 0.0
    max_tokens: int = 2048
    force: bool = False
    refresh_cache: bool = False
    reference_source: str | None = None
    max_requests: int | None = None


@dataclass
class PlanBuilder:
    """Collects a plan item by item: cached replies are free, the rest count against the limit."""

    store: Store
    options: PlanOptions
    items: list[WorkItem] = field(default_factory=list)
    cached: list[WorkItem] = field(default_factory=list)
    no_reference: list[str] = field(default_factory=list)
    already_judged: int = 0
    over_limit: int = 0

    def add(self, item: WorkItem) -> None:
        """Plan one request."""
        o = self.options
        if not o.refresh_cache and self.store.judging.cache_get(item.cache_key) is not None:
            self.cached.append(item)
        elif o.max_requests is not None and len(self.items) >= o.max_requests:
            self.over_limit += 1
        else:
            self.items.append(item)

    def request(self, messages: list[dict[str, str]]) -> tuple[dict[str, Any], str]:
        """The request body for these messages, and its cache key."""
        o = self.options
        body = request_body(o.judge_model, messages, o.temperature, o.max_tokens)
        return body, cache_key(o.endpoint, body)

    def reference(self, question_id: int) -> ReferenceAnswer | None:
        """The reference FastChat would use: the judge model's own, else gpt-4's, else any."""
        o = self.options
        refs = {r.source: r for r in self.store.content.references(question_id)}
        for source in (o.reference_source, o.judge_model, "gpt-4"):
            if source and source in refs:
                return refs[source]
        if o.reference_source:
            return None
        return next(iter(refs.values()), None)

    def build(self, **extra: int) -> Plan:
        """The finished plan."""
        return Plan(
            tuple(self.items),
            tuple(self.cached),
            self.already_judged,
            tuple(self.no_reference),
            self.over_limit,
            **extra,
        )


def make_plan(store: Store, prompts: PromptSet, options: PlanOptions) -> Plan:
    """Build the work list of a single-answer run, streaming answers from the store.

    An (item, judge, prompt) already judged is skipped unless ``force``; an item whose exact
    request is in the response cache needs no API call (unless ``refresh_cache``).

    Args:
        store: the store.
        prompts: the single-answer prompt set.
        options: what to judge and how.

    Returns:
        The plan.
    """
    builder = PlanBuilder(store, options)
    for item in _candidate_items(builder, prompts):
        builder.add(item)
    return builder.build()


def _candidate_items(b: PlanBuilder, prompts: PromptSet) -> Iterator[WorkItem]:
    """Every (answer, turn) to judge, with its request built."""
    o = b.options
    for row in b.store.judging.answers_to_judge(o.models, o.questions):
        question = Question(row.question_id, row.category, (row.question_1, row.question_2))
        answer = Answer(row.question_id, row.model, (row.answer_1, row.answer_2))
        needs_reference = prompts.select(row.category, 1).needs_reference
        reference = b.reference(row.question_id) if needs_reference else None
        for turn in o.turns:
            prompt = prompts.select(row.category, turn)
            judge = judge_label(o.judge_model, prompt.name)
            judged = b.store.judging.judged(row.question_id, row.model, judge, prompt.name)
            if not o.force and turn in judged:
                b.already_judged += 1
                continue
            if prompt.needs_reference and reference is None:
                b.no_reference.append(f"Q{row.question_id} {row.model} turn {turn}")
                continue
            request = prompts.build(question, answer, turn, reference)
            body, key = b.request(request.messages())
            yield WorkItem(
                row.question_id, row.model, turn, judge, o.judge_model, prompt.name, body, key
            )
