"""Pairwise judge prompts, and their messages built exactly as FastChat's gen_judgment.py does."""

from __future__ import annotations

from pathlib import Path

from mtbench_tui.core import fields
from mtbench_tui.core.jsonl import InputError, iter_rows
from mtbench_tui.core.judge.prompts import (
    KINDS,
    JudgePrompt,
    JudgeRequest,
    kind_name,
    reference_values,
)
from mtbench_tui.core.models import (
    NEEDS_REFERENCE,
    Answer,
    Question,
    ReferenceAnswer,
    prompt_family,
)

FASTCHAT_PAIR_FAMILY = "pair-v2"
"""FastChat's pairwise set: pair-v2 for general questions, pair-math-v1 for the rest."""
FASTCHAT_PAIR_NAMES = {
    (False, False): "pair-v2",
    (True, False): "pair-math-v1",
    (False, True): "pair-v2-multi-turn",
    (True, True): "pair-math-v1-multi-turn",
}
"""(needs a reference, multi-turn) -> the prompt gen_judgment.py's make_judge_pairwise picks."""
VERDICT_FORMAT = "[[A]]"


class PairPromptSet:
    """The four pairwise prompts of one family: general or math, turn 1 or turn 2."""

    def __init__(self, family: str, prompts: dict[tuple[bool, bool], JudgePrompt]) -> None:
        missing = [kind_name(k) for k in KINDS if k not in prompts]
        if missing:
            raise ValueError(f"pairwise prompt set lacks {', '.join(missing)} prompt(s)")
        self.family = family
        self.by_kind = dict(prompts)

    def select(self, category: str, turn: int) -> JudgePrompt:
        """The prompt FastChat would use for a question category and turn."""
        return self.by_kind[(category in NEEDS_REFERENCE, turn == 2)]

    def build(
        self,
        question: Question,
        answer_a: Answer,
        answer_b: Answer,
        turn: int,
        reference: ReferenceAnswer | None,
    ) -> JudgeRequest:
        """Fill the right template for one turn, with ``answer_a`` shown as assistant A.

        Args:
            question: the question.
            answer_a: the answer shown first (model_1's in g1, model_2's in g2).
            answer_b: the other answer.
            turn: 1 or 2 (2 judges the whole conversation, as FastChat's multi-turn prompts).
            reference: the reference answer, required by the math prompts.

        Returns:
            The system prompt and the filled user prompt.

        Raises:
            ValueError: a math/reasoning/coding question has no reference answer.
        """
        prompt = self.select(question.category, turn)
        values = reference_values(prompt, question, turn, reference)
        if turn == 2:
            values.update(
                question_1=question.turns[0],
                question_2=question.turns[1],
                answer_a_1=answer_a.turns[0],
                answer_b_1=answer_b.turns[0],
                answer_a_2=answer_a.turns[1],
                answer_b_2=answer_b.turns[1],
            )
        else:
            values.update(
                question=question.turns[0], answer_a=answer_a.turns[0], answer_b=answer_b.turns[0]
            )
        return JudgeRequest(prompt, prompt.system_prompt, prompt.prompt_template.format(**values))


def pair_judge_label(judge_model: str, family: str) -> str:
    """The judge's identity for pairwise verdicts.

    Args:
        judge_model: the model that judged.
        family: the pairwise prompt family.

    Returns:
        The model alone for FastChat's set (as imported FastChat pair files are labelled),
        ``model/family`` for another family.
    """
    return judge_model if family == FASTCHAT_PAIR_FAMILY else f"{judge_model}/{family}"


def load_pair_prompt_file(path: Path, family: str | None = None) -> PairPromptSet:
    """Read FastChat's ``judge_prompts.jsonl`` and pick the pairwise prompts.

    Args:
        path: the prompts file.
        family: ``pair-v2`` (default) is FastChat's set: pair-v2 and pair-math-v1 with their
            multi-turn variants. Another family takes its four ``type: pairwise`` prompts.

    Returns:
        The prompt set.

    Raises:
        InputError: a malformed row, no usable set, or a verdict format other than [[A]].
    """
    rows = {p.name: (line, fmt, p) for line, fmt, p in _pairwise_rows(path)}
    chosen = family or FASTCHAT_PAIR_FAMILY
    if chosen == FASTCHAT_PAIR_FAMILY:
        wanted = {k: n for k, n in FASTCHAT_PAIR_NAMES.items() if n in rows}
    else:
        wanted = {
            (p.needs_reference, p.multi_turn): name
            for name, (_l, _f, p) in rows.items()
            if prompt_family(name) == chosen
        }
    families = sorted({prompt_family(n) for n in rows})
    for name in wanted.values():
        line, fmt, _p = rows[name]
        if fmt != VERDICT_FORMAT:
            raise InputError(
                path,
                line,
                "output_format",
                f"{name}: only the [[A]]/[[B]]/[[C]] format is supported",
            )
    try:
        return PairPromptSet(chosen, {k: rows[n][2] for k, n in wanted.items()})
    except ValueError as exc:
        raise InputError(path, 0, "name", f"{exc} (pairwise families here: {families})") from None


def _pairwise_rows(path: Path) -> list[tuple[int, str, JudgePrompt]]:
    """(line, output format, prompt) for every pairwise prompt in the file."""
    out = []
    for row in iter_rows(path):
        if fields.get_str(row, "type") != "pairwise":
            continue
        name = fields.get_str(row, "name", non_empty=True) or ""
        prompt = JudgePrompt(
            name=name,
            system_prompt=fields.get_str(row, "system_prompt") or "",
            prompt_template=fields.get_str(row, "prompt_template") or "",
            category=fields.get_str(row, "category", optional=True) or "general",
            multi_turn=name.endswith("-multi-turn"),
        )
        fmt = fields.get_str(row, "output_format", optional=True) or VERDICT_FORMAT
        out.append((row.line, fmt, prompt))
    return out


def builtin_pair_prompts() -> PairPromptSet:
    """mtbench-review's own pairwise prompt set (family ``mtr-pair-v1``).

    Returns:
        The prompt set.
    """
    from mtbench_tui.core.judge.builtin_pair_prompts import BUILTIN_PAIR_PROMPTS

    return PairPromptSet(
        "mtr-pair-v1", {(p.needs_reference, p.multi_turn): p for p in BUILTIN_PAIR_PROMPTS}
    )
