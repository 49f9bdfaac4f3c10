"""Which lab's family a model belongs to, for the judge self-preference audit."""

from __future__ import annotations

import re

_FAMILIES: tuple[tuple[str, str], ...] = (
    (r"gpt|chatgpt|davinci|^o[134](-|$)|openai", "openai"),
    (r"claude|anthropic", "anthropic"),
    (r"gemini|gemma|palm|bison|bard", "google"),
    (r"llama|vicuna|alpaca|koala|guanaco|wizardlm|tulu|nous-hermes|baize|gpt4all", "llama"),
    (r"mistral|mixtral|dolphin|marcoro|zephyr", "mistral"),
    (r"qwen", "qwen"),
    (r"phi-?\d", "microsoft"),
    (r"command|cohere", "cohere"),
    (r"deepseek", "deepseek"),
    (r"mpt", "mosaic"),
    (r"falcon", "falcon"),
)


def model_family(name: str) -> str | None:
    """The family of a model name (``gpt-4`` -> ``openai``), or None when unknown.

    Names are matched by well-known prefixes and substrings; the mapping is deliberately
    coarse (fine-tunes of Llama count as ``llama``) because self-preference is about a
    judge favouring outputs that resemble its own.
    """
    lowered = name.lower()
    # gpt4all is a Llama fine-tune, not an OpenAI model: check the specific rule first.
    if "gpt4all" in lowered:
        return "llama"
    for pattern, family in _FAMILIES:
        if re.search(pattern, lowered):
            return family
    return None
