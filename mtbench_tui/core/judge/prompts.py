"""Judge prompts, and their messages built exactly as FastChat's gen_judgment.py builds them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mtbench_tui.core import fields
from mtbench_tui.core.jsonl import InputError, iter_rows
from mtbench_tui.core.judge.prompt_types import JudgePrompt, JudgeRequest
from mtbench_tui.core.models import (
    NEEDS_REFERENCE,
    Answer,
    Question,
    ReferenceAnswer,
)

__all__ = ["JudgePrompt", "JudgeRequest", "PromptSet"]


class PromptSet:
    """The four single-answer prompts of one family: general or math, turn 1 or turn 2."""

    def __init__(self, prompts: Iterable[JudgePrompt]) -> None:
        self.by_kind: dict[tuple[bool, bool], JudgePrompt] = {}
        for prompt in prompts:
            self.by_kind[(prompt.needs_reference, prompt.multi_turn)] = prompt
        missing = [kind_name(k) for k in KINDS if k not in self.by_kind]
        if missing:
            raise ValueError(f"prompt set lacks {', '.join(missing)} prompt(s)")

    @property
    def family(self) -> str:
        """The family name, e.g. ``single-v1`` or ``mtr-v1``."""
        return self.by_kind[(False, False)].family

    def select(self, category: str, turn: int) -> JudgePrompt:
        """The prompt FastChat would use for a question category and turn."""
        return self.by_kind[(category in NEEDS_REFERENCE, turn == 2)]

    def build(
        self, question: Question, answer: Answer, turn: int, reference: ReferenceAnswer | None
    ) -> JudgeRequest:
        """Fill the right template for one turn of one answer.

        Raises:
            ValueError: a math/reasoning/coding question has no reference answer.
        """
        prompt = self.select(question.category, turn)
        values = reference_values(prompt, question, turn, reference)
        if turn == 2:
            values.update(
                question_1=question.turns[0],
                question_2=question.turns[1],
                answer_1=answer.turns[0],
                answer_2=answer.turns[1],
            )
        else:
            values.update(question=question.turns[0], answer=answer.turns[0])
        return JudgeRequest(prompt, prompt.system_prompt, prompt.prompt_template.format(**values))


def reference_values(
    prompt: JudgePrompt, question: Question, turn: int, reference: ReferenceAnswer | None
) -> dict[str, Any]:
    """The reference answer's template values (none when the prompt needs no reference).

    Args:
        prompt: the chosen prompt.
        question: the question judged.
        turn: 1 or 2 (turn 2 also gets the reference's second turn).
        reference: the question's reference answer, if any.

    Returns:
        ``ref_answer_1`` (and ``ref_answer_2``), ready for more values.

    Raises:
        ValueError: the prompt needs a reference and the question has none.
    """
    values: dict[str, Any] = {}
    if prompt.needs_reference:
        if reference is None:
            raise ValueError(
                f"question {question.question_id} ({question.category}) needs a reference answer"
            )
        values["ref_answer_1"] = reference.turns[0]
        if turn == 2:
            values["ref_answer_2"] = reference.turns[1]
    return values


KINDS = ((False, False), (True, False), (False, True), (True, True))
"""(needs a reference, multi-turn): the four prompts a set holds."""


def kind_name(kind: tuple[bool, bool]) -> str:
    """'math multi-turn' and the like, for error messages.

    Args:
        kind: (needs a reference, multi-turn).

    Returns:
        A readable name.
    """
    return f"{'math' if kind[0] else 'general'} {'multi-turn' if kind[1] else 'single-turn'}"


def load_prompt_file(path: Path, family: str | None = None) -> PromptSet:
    """Read FastChat's ``judge_prompts.jsonl`` and pick one family of single-answer prompts.

    Args:
        path: the prompts file.
        family: which family to use; default ``single-v1`` when present, else the only one.

    Raises:
        InputError: a malformed row, or no usable family.
    """
    prompts: list[JudgePrompt] = []
    for row in iter_rows(path):
        if fields.get_str(row, "type") != "single":
            continue
        name = fields.get_str(row, "name", non_empty=True) or ""
        prompts.append(
            JudgePrompt(
                name=name,
                system_prompt=fields.get_str(row, "system_prompt") or "",
                prompt_template=fields.get_str(row, "prompt_template") or "",
                category=fields.get_str(row, "category", optional=True) or "general",
                multi_turn=name.endswith("-multi-turn"),
            )
        )
    families = sorted({p.family for p in prompts})
    chosen = family or (
        "single-v1" if "single-v1" in families else (families[0] if len(families) == 1 else None)
    )
    if chosen is None or chosen not in families:
        raise InputError(
            path, 0, "name", f"choose a prompt family among {families or 'none found'}"
        )
    try:
        return PromptSet(p for p in prompts if p.family == chosen)
    except ValueError as exc:
        raise InputError(path, 0, "name", str(exc)) from None


def builtin_prompts() -> PromptSet:
    """mtbench-review's own prompt set (family ``mtr-v1``)."""
    from mtbench_tui.core.judge.builtin_prompts import BUILTIN_PROMPTS

    return PromptSet(BUILTIN_PROMPTS)
