"""Token prices per model, for cost estimates and per-request costs; users can override them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BATCH_DISCOUNT = 0.5
"""OpenAI's Batch API charges half the online price."""

# USD per million tokens (input, output), from OpenAI's public price list; --prices/--price
# override them.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4": (30.0, 60.0),
    "gpt-4-0613": (30.0, 60.0),
    "gpt-4-turbo": (10.0, 30.0),
    "gpt-4o": (2.5, 10.0),
    "gpt-4o-mini": (0.15, 0.6),
    "gpt-4.1": (2.0, 8.0),
    "gpt-4.1-mini": (0.4, 1.6),
    "gpt-4.1-nano": (0.1, 0.4),
    "gpt-3.5-turbo": (0.5, 1.5),
    "o3-mini": (1.1, 4.4),
}


@dataclass
class PriceTable:
    """Prices per model; unknown models have no price (local servers are often free)."""

    prices: dict[str, tuple[float, float]] = field(default_factory=lambda: dict(DEFAULT_PRICES))

    def cost(
        self,
        model: str,
        prompt_tokens: int | None,
        completion_tokens: int | None,
        batch: bool = False,
    ) -> float | None:
        """Dollars for one request, or None when the model has no known price."""
        price = self.prices.get(model)
        if price is None or prompt_tokens is None or completion_tokens is None:
            return None
        dollars = (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000
        return dollars * (BATCH_DISCOUNT if batch else 1.0)

    def knows(self, model: str) -> bool:
        """True when the model has a price."""
        return model in self.prices


def load_prices(path: Path | None = None, overrides: tuple[str, ...] = ()) -> PriceTable:
    """The default table, updated from a JSON file of model -> [in, out] and MODEL=IN,OUT options.

    Raises:
        ValueError: a malformed file or option.
    """
    table = PriceTable()
    if path is not None:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected an object of model -> [input, output] prices")
        for model, pair in data.items():
            table.prices[model] = _pair(pair, f"{path}: {model}")
    for option in overrides:
        model, _, rest = option.partition("=")
        table.prices[model] = _pair(rest.split(","), f"--price {option}")
    return table


def _pair(value: Any, where: str) -> tuple[float, float]:
    """Two non-negative prices."""
    try:
        a, b = (float(x) for x in value)
    except (TypeError, ValueError):
        raise ValueError(
            f"{where}: expected two prices per million tokens, input and output"
        ) from None
    if a < 0 or b < 0:
        raise ValueError(f"{where}: prices cannot be negative")
    return a, b


def estimate_tokens(text: str) -> int:
    """A rough token count (about four characters a token), for estimates before any request."""
    return max(1, len(text) // 4)
