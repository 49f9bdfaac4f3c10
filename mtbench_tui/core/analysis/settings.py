"""How the report's intervals are computed (a light module: the app imports it on the UI thread)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Bootstrap settings."""

    n_resamples: int = 1000
    confidence: float = 0.95
    seed: int = 0
