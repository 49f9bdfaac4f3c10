"""mtbench-review's own pairwise judge prompts, written for this project (family ``mtr-pair-v1``).

They use FastChat's placeholders and its ``[[A]]`` / ``[[B]]`` / ``[[C]]`` verdict format,
so the same prompt builder and verdict parser serve both.
"""

from __future__ import annotations

from mtbench_tui.core.judge.prompt_types import JudgePrompt

_SYSTEM = (
    "You compare two answers written by AI assistants and decide which one serves the user "
    "better. You are impartial: the order in which the answers appear, their length and the "
    "assistants' names must not influence you."
)
_VERDICT = (
    "Explain your comparison in two to five sentences, naming the decisive difference. Then "
    'end with exactly one verdict: "[[A]]" if assistant A is better, "[[B]]" if assistant B is '
    'better, or "[[C]]" if neither is meaningfully better.'
)
_REFERENCE_RULE = (
    "A reference answer is provided. Check each assistant's result against it; a correct "
    "result beats an incorrect one however it is explained."
)

BUILTIN_PAIR_PROMPTS: tuple[JudgePrompt, ...] = (
    JudgePrompt(
        name="mtr-pair-v1",
        system_prompt=_SYSTEM,
        prompt_template=(
            "Compare the two assistants' answers to the user's question. Weigh, in this order: "
            "correctness, how fully each follows the instructions, then clarity and usefulness.\n"
            f"{_VERDICT}\n\n"
            "<question>\n{question}\n</question>\n\n"
            "<answer_a>\n{answer_a}\n</answer_a>\n\n"
            "<answer_b>\n{answer_b}\n</answer_b>"
        ),
        category="general",
        multi_turn=False,
    ),
    JudgePrompt(
        name="mtr-pair-math-v1",
        system_prompt=_SYSTEM,
        prompt_template=(
            f"Compare the two assistants' answers to the user's question. {_REFERENCE_RULE}\n"
            f"{_VERDICT}\n\n"
            "<question>\n{question}\n</question>\n\n"
            "<reference_answer>\n{ref_answer_1}\n</reference_answer>\n\n"
            "<answer_a>\n{answer_a}\n</answer_a>\n\n"
            "<answer_b>\n{answer_b}\n</answer_b>"
        ),
        category="math",
        multi_turn=False,
    ),
    JudgePrompt(
        name="mtr-pair-v1-multi-turn",
        system_prompt=_SYSTEM,
        prompt_template=(
            "Below are two two-turn conversations of the same user with assistants A and B. "
            "Compare only the replies to the second user message, using the first turn as "
            "context. Weigh, in this order: correctness, how fully each follows the "
            "instructions, then clarity and usefulness.\n"
            f"{_VERDICT}\n\n"
            "<user_turn_1>\n{question_1}\n</user_turn_1>\n\n"
            "<answer_a_turn_1>\n{answer_a_1}\n</answer_a_turn_1>\n\n"
            "<answer_b_turn_1>\n{answer_b_1}\n</answer_b_turn_1>\n\n"
            "<user_turn_2>\n{question_2}\n</user_turn_2>\n\n"
            "<answer_a_turn_2>\n{answer_a_2}\n</answer_a_turn_2>\n\n"
            "<answer_b_turn_2>\n{answer_b_2}\n</answer_b_turn_2>"
        ),
        category="general",
        multi_turn=True,
    ),
    JudgePrompt(
        name="mtr-pair-math-v1-multi-turn",
        system_prompt=_SYSTEM,
        prompt_template=(
            "Below are two two-turn conversations of the same user with assistants A and B, "
            "and reference answers to both user messages. Compare only the replies to the "
            f"second user message. {_REFERENCE_RULE}\n"
            f"{_VERDICT}\n\n"
            "<user_turn_1>\n{question_1}\n</user_turn_1>\n\n"
            "<reference_turn_1>\n{ref_answer_1}\n</reference_turn_1>\n\n"
            "<user_turn_2>\n{question_2}\n</user_turn_2>\n\n"
            "<reference_turn_2>\n{ref_answer_2}\n</reference_turn_2>\n\n"
            "<answer_a_turn_1>\n{answer_a_1}\n</answer_a_turn_1>\n\n"
            "<answer_a_turn_2>\n{answer_a_2}\n</answer_a_turn_2>\n\n"
            "<answer_b_turn_1>\n{answer_b_1}\n</answer_b_turn_1>\n\n"
            "<answer_b_turn_2>\n{answer_b_2}\n</answer_b_turn_2>"
        ),
        category="math",
        multi_turn=True,
    ),
)
