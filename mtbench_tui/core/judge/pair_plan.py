"""Plan a pairwise run: FastChat's pairwise-baseline, pairwise-all or given pairs; both orders."""

from __future__ import annotations

from dataclasses import dataclass

from mtbench_tui.core.judge.pair_prompts import PairPromptSet, pair_judge_label
from mtbench_tui.core.judge.plan import Plan, PlanBuilder, PlanOptions
from mtbench_tui.core.models import Answer, Question
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.pair_judging import PairToJudge
from mtbench_tui.core.workitems import PairSide, WorkItem

DEFAULT_BASELINE = "gpt-3.5-turbo"
"""FastChat's default baseline model for pairwise-baseline."""


@dataclass(frozen=True, kw_only=True)
class PairSelection:
    """Which comparisons to judge; the first model of each pair is FastChat's model_1."""

    baseline: str | None = None
    """Every selected model against this one (FastChat's pairwise-baseline)."""
    all_pairs: bool = False
    """Every pair of selected models, in name order (FastChat's pairwise-all)."""
    pairs: tuple[tuple[str, str], ...] = ()
    """These pairs exactly."""


def resolve_pairs(
    store: Store, selection: PairSelection, models: list[str] | None
) -> list[tuple[str, str]]:
    """The (model_1, model_2) pairs a selection stands for.

    Args:
        store: the store (for the models that have answers).
        selection: baseline, all pairs, or given pairs.
        models: restrict baseline and all-pairs modes to these models (None: all).

    Returns:
        The pairs, model_1 first.

    Raises:
        ValueError: a named model has no answers, or a pair names one model twice.
    """
    known = set(store.content.models())
    chosen = sorted(set(models) if models else known)
    named = [m for pair in selection.pairs for m in pair] + [selection.baseline or ""]
    for model in [*named, *(models or [])]:
        if model and model not in known:
            raise ValueError(f"model {model!r} has no answers in this database")
    if selection.pairs:
        for m1, m2 in selection.pairs:
            if m1 == m2:
                raise ValueError(f"a pair needs two different models, got {m1!r} twice")
        return list(selection.pairs)
    if selection.all_pairs:
        return [(a, b) for i, a in enumerate(chosen) for b in chosen[i + 1 :]]
    baseline = selection.baseline
    return [(m, baseline) for m in chosen if baseline and m != baseline]


def make_pair_plan(
    store: Store, prompts: PairPromptSet, options: PlanOptions, pairs: list[tuple[str, str]]
) -> Plan:
    """Build the work list of a pairwise run: two requests per comparison and turn (g1, g2).

    A comparison this judge already has a verdict on (in either model order) is skipped
    unless ``force``; a request whose exact body is cached needs no API call.

    Args:
        store: the store.
        prompts: the pairwise prompt set.
        options: what to judge and how (``models`` is ignored: ``pairs`` decides).
        pairs: (model_1, model_2) pairs.

    Returns:
        The plan.
    """
    builder = PlanBuilder(store, options)
    judge = pair_judge_label(options.judge_model, prompts.family)
    judged = store.judging.pairs.judged(judge) if not options.force else set()
    comparisons = one_sided = 0
    for model_1, model_2 in pairs:
        one_sided += store.judging.pairs.one_sided(model_1, model_2, options.questions)
        for row in store.judging.pairs.comparisons(model_1, model_2, options.questions):
            for turn in options.turns:
                lo, hi = sorted((model_1, model_2))
                if (row.question_id, lo, hi, turn) in judged:
                    builder.already_judged += 1
                    continue
                orders = _orders(builder, prompts, judge, row, (model_1, model_2), turn)
                if orders is None:
                    continue
                comparisons += 1
                for item in orders:
                    builder.add(item)
    return builder.build(comparisons=comparisons, one_sided=one_sided)


def _orders(
    b: PlanBuilder,
    prompts: PairPromptSet,
    judge: str,
    row: PairToJudge,
    models: tuple[str, str],
    turn: int,
) -> tuple[WorkItem, WorkItem] | None:
    """The g1 and g2 requests of one comparison, or None when it lacks a needed reference."""
    prompt = prompts.select(row.category, turn)
    reference = b.reference(row.question_id) if prompt.needs_reference else None
    if prompt.needs_reference and reference is None:
        b.no_reference.append(f"Q{row.question_id} {models[0]} vs {models[1]} turn {turn}")
        return None
    question = Question(row.question_id, row.category, (row.question_1, row.question_2))
    first = Answer(row.question_id, models[0], row.answer_1)
    second = Answer(row.question_id, models[1], row.answer_2)
    g1 = prompts.build(question, first, second, turn, reference)
    g2 = prompts.build(question, second, first, turn, reference)
    (body_1, key_1), (body_2, key_2) = b.request(g1.messages()), b.request(g2.messages())
    o = b.options

    def item(order: str, body: dict[str, object], key: str, sibling: str, other: str) -> WorkItem:
        side = PairSide(models[1], order, sibling, other)
        return WorkItem(
            row.question_id, models[0], turn, judge, o.judge_model, prompt.name, body, key, side
        )

    return (
        item("g1", body_1, key_1, key_2, g2.user),
        item("g2", body_2, key_2, key_1, g1.user),
    )
