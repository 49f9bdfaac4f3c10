"""Work out which verdicts a judge run needs: skip what is judged, note what is cached, build each request."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from mtbench_tui.core.judge.pricing import PriceTable, estimate_tokens
from mtbench_tui.core.judge.prompts import PromptSet
from mtbench_tui.core.judge.work import WorkItem, cache_key, request_body
from mtbench_tui.core.models import Answer, Question, ReferenceAnswer, judge_label
from mtbench_tui.core.store import Store

EXPECTED_COMPLETION_TOKENS = 300
"""A typical MT-Bench judgment is a paragraph of explanation and a rating."""


@dataclass
class Plan:
    """The items to request, and what was left out and why."""

    items: list[WorkItem] = field(default_factory=list)
    cached: list[WorkItem] = field(default_factory=list)
    already_judged: int = 0
    no_reference: list[str] = field(default_factory=list)
    over_limit: int = 0

    @property
    def to_request(self) -> int:
        """Items that will cost an API call."""
        return len(self.items)

    def estimate(
        self, prices: PriceTable, judge_model: str, batch: bool = False
    ) -> dict[str, object]:
        """Token and cost estimate for the uncached items."""
        prompt = sum(
            estimate_tokens("".join(m["content"] for m in i.request["messages"]))
            for i in self.items
        )
        completion = EXPECTED_COMPLETION_TOKENS * len(self.items)
        worst = sum(i.request["max_tokens"] for i in self.items)
        return {
            "requests": len(self.items),
            "cached": len(self.cached),
            "already_judged": self.already_judged,
            "no_reference": len(self.no_reference),
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "cost_usd": prices.cost(judge_model, prompt, completion, batch),
            "max_cost_usd": prices.cost(judge_model, prompt, worst, batch),
        }


@dataclass(frozen=True)
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


def make_plan(store: Store, prompts: PromptSet, options: PlanOptions) -> Plan:
    """Build the work list, streaming answers from the store.

    An (item, judge, prompt) already judged is skipped unless ``force``; an item whose exact
    request is in the response cache needs no API call (unless ``refresh_cache``).
    """
    plan = Plan()
    for item in _candidate_items(store, prompts, options, plan):
        if not options.refresh_cache and store.judging.cache_get(item.cache_key) is not None:
            plan.cached.append(item)
        elif options.max_requests is not None and len(plan.items) >= options.max_requests:
            plan.over_limit += 1
        else:
            plan.items.append(item)
    return plan


def _candidate_items(
    store: Store, prompts: PromptSet, o: PlanOptions, plan: Plan
) -> Iterator[WorkItem]:
    """Every (answer, turn) to judge, with its request built."""
    for qid, model, category, q1, q2, a1, a2 in store.judging.answers_to_judge(
        o.models, o.questions
    ):
        question = Question(qid, category, (q1, q2))
        answer = Answer(qid, model, (a1, a2))
        reference = (
            _reference(store, qid, o) if prompts.select(category, 1).needs_reference else None
        )
        for turn in o.turns:
            prompt = prompts.select(category, turn)
            judge = judge_label(o.judge_model, prompt.name)
            if not o.force and turn in store.judging.judged(qid, model, judge, prompt.name):
                plan.already_judged += 1
                continue
            if prompt.needs_reference and reference is None:
                plan.no_reference.append(f"Q{qid} {model} turn {turn}")
                continue
            request = prompts.build(question, answer, turn, reference)
            body = request_body(o.judge_model, request.messages(), o.temperature, o.max_tokens)
            yield WorkItem(
                qid,
                model,
                turn,
                judge,
                o.judge_model,
                prompt.name,
                body,
                cache_key(o.endpoint, body),
            )


def _reference(store: Store, question_id: int, o: PlanOptions) -> ReferenceAnswer | None:
    """The reference answer FastChat would use: the judge model's own file, else gpt-4's, else any."""
    refs = {r.source: r for r in store.content.references(question_id)}
    for source in (o.reference_source, o.judge_model, "gpt-4"):
        if source and source in refs:
            return refs[source]
    if o.reference_source:
        return None
    return next(iter(refs.values()), None)
