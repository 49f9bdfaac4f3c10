"""mtbench-review's own single-answer judge prompts, written for this project.

They follow FastChat's conventions (the same placeholders, one prompt per turn and
per reference need, and the ``Rating: [[n]]`` verdict format) so the same prompt
builder and verdict parser serve both. The family is ``mtr-v1``.
"""

from __future__ import annotations

from mtbench_tui.core.judge.prompt_types import JudgePrompt

_SYSTEM = (
    "You are a careful and impartial evaluator of answers written by AI assistants. "
    "You judge substance, not style or length, and you never reward an answer for being long."
)
_VERDICT = (
    "First write a short justification (two to five sentences) that names the answer's main "
    "strengths "
    "and its most important flaw. Then give your rating on a scale from 1 (useless or harmful) to "
    "10 "
    '(could not be meaningfully improved), written exactly like this: "Rating: [[7]]".'
)
_REFERENCE_RULE = (
    "A reference answer is provided. Check the assistant's result against it step by step. "
    "A wrong final result should rarely score above 3, however well it is explained."
)

BUILTIN_PROMPTS: tuple[JudgePrompt, ...] = (
    JudgePrompt(
        name="mtr-v1",
        system_prompt=_SYSTEM,
        prompt_template=(
            "Evaluate the assistant's answer to the user's question. Weigh, in this order: "
            "correctness, "
            "how fully it follows the instructions, then clarity and usefulness.\n"
            f"{_VERDICT}\n\n"
            "<question>\n{question}\n</question>\n\n"
            "<assistant_answer>\n{answer}\n</assistant_answer>"
        ),
        category="general",
        multi_turn=False,
    ),
    JudgePrompt(
        name="mtr-math-v1",
        system_prompt=_SYSTEM,
        prompt_template=(
            f"Evaluate the assistant's answer to the user's question. {_REFERENCE_RULE}\n"
            f"{_VERDICT}\n\n"
            "<question>\n{question}\n</question>\n\n"
            "<reference_answer>\n{ref_answer_1}\n</reference_answer>\n\n"
            "<assistant_answer>\n{answer}\n</assistant_answer>"
        ),
        category="math",
        multi_turn=False,
    ),
    JudgePrompt(
        name="mtr-v1-multi-turn",
        system_prompt=_SYSTEM,
        prompt_template=(
            "Below is a two-turn conversation between a user and an assistant. Evaluate only the "
            "assistant's reply to the second user message, using the first turn as context. "
            "Weigh, in "
            "this order: correctness, how fully it follows the instructions, then clarity and "
            "usefulness.\n"
            f"{_VERDICT}\n\n"
            "<user_turn_1>\n{question_1}\n</user_turn_1>\n\n"
            "<assistant_turn_1>\n{answer_1}\n</assistant_turn_1>\n\n"
            "<user_turn_2>\n{question_2}\n</user_turn_2>\n\n"
            "<assistant_turn_2>\n{answer_2}\n</assistant_turn_2>"
        ),
        category="general",
        multi_turn=True,
    ),
    JudgePrompt(
        name="mtr-math-v1-multi-turn",
        system_prompt=_SYSTEM,
        prompt_template=(
            "Below is a two-turn conversation between a user and an assistant, followed by "
            "reference "
            "answers to both user messages. Evaluate only the assistant's reply to the second user "
            f"message. {_REFERENCE_RULE}\n"
            f"{_VERDICT}\n\n"
            "<user_turn_1>\n{question_1}\n</user_turn_1>\n\n"
            "<reference_turn_1>\n{ref_answer_1}\n</reference_turn_1>\n\n"
            "<user_turn_2>\n{question_2}\n</user_turn_2>\n\n"
            "<reference_turn_2>\n{ref_answer_2}\n</reference_turn_2>\n\n"
            "<assistant_turn_1>\n{answer_1}\n</assistant_turn_1>\n\n"
            "<assistant_turn_2>\n{answer_2}\n</assistant_turn_2>"
        ),
        category="math",
        multi_turn=True,
    ),
)
