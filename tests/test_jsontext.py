"""The fast indented JSON writer writes exactly what json.dumps(indent=...) writes."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from mtbench_tui.core.analysis import jsontext
from mtbench_tui.core.analysis.report import build_report
from mtbench_tui.core.analysis.serialize import to_json
from mtbench_tui.core.analysis.settings import Settings
from mtbench_tui.core.store import Store

SCALARS = [
    None,
    True,
    False,
    0,
    -3,
    10**20,
    1.5,
    -0.0,
    1e-7,
    123456789.123,
    float("nan"),
    float("inf"),
    float("-inf"),
    "",
    'quote " backslash \\ newline \n escape \x1b bidi \u202e é',
]


def nested(rng: random.Random, depth: int = 0) -> Any:
    """Random JSON-ready data."""
    roll = rng.random()
    if depth > 3 or roll < 0.3:
        return rng.choice(SCALARS)
    if roll < 0.65:
        return {f"{rng.choice(['a', 'ké', 'x'])}{i}": nested(rng, depth + 1) for i in range(4)}
    return [nested(rng, depth + 1) for _ in range(rng.randint(0, 4))]


@pytest.mark.parametrize("indent", [2, 4])
def test_random_data(indent: int) -> None:
    rng = random.Random(indent)
    for _ in range(2000):
        value = nested(rng)
        assert jsontext.dumps(value, indent) == json.dumps(value, indent=indent, ensure_ascii=False)


def test_a_whole_report(rated_store: Store) -> None:
    data = to_json(build_report(rated_store, settings=Settings(n_resamples=50)))
    assert jsontext.dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)


def test_unsupported_values_are_refused() -> None:
    with pytest.raises(TypeError):
        jsontext.dumps({"set": {1, 2}})


@pytest.mark.parametrize("value", [{"a": float("nan")}, [1.0, float("inf")], {"x": "\ud800"}])
def test_values_the_fast_path_refuses_still_match(value: Any) -> None:
    assert jsontext.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)
