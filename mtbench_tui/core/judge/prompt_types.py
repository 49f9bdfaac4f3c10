"""The value types of judge prompts, apart from the code that loads and fills them."""

from __future__ import annotations

from dataclasses import dataclass

from mtbench_tui.core.models import prompt_family


@dataclass(frozen=True)
class JudgePrompt:
    """One single-answer grading prompt (FastChat's ``judge_prompts.jsonl`` row)."""

    name: str
    system_prompt: str
    prompt_template: str
    category: str
    multi_turn: bool

    @property
    def needs_reference(self) -> bool:
        """True for the math prompts, which are filled with a reference answer."""
        return "-math" in self.name

    @property
    def family(self) -> str:
        """The family this prompt belongs to, e.g. ``single-v1``."""
        return prompt_family(self.name)


@dataclass(frozen=True)
class JudgeRequest:
    """The messages for one verdict, and which prompt made them."""

    prompt: JudgePrompt
    system: str
    user: str

    def messages(self) -> list[dict[str, str]]:
        """OpenAI chat messages: the system prompt (when not empty), then the filled template."""
        out = [{"role": "system", "content": self.system}] if self.system else []
        return [*out, {"role": "user", "content": self.user}]
