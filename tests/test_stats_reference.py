"""Every published reference vector in ../shared/stats/reference_vectors.json, within tolerance."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from scipy.stats import f as f_dist

from mtbench_tui import stats
from mtbench_tui.core.stats.reliability import icc_components
from tests.conftest import SHARED

VECTORS_FILE = SHARED / "stats" / "reference_vectors.json"


def load_vectors() -> list[dict]:
    """The vectors, or none when ../shared is absent (the tests then skip)."""
    if not VECTORS_FILE.exists():
        return []
    return json.loads(VECTORS_FILE.read_text())["vectors"]


VECTORS = load_vectors()
pytestmark = pytest.mark.skipif(
    not VECTORS, reason=f"reference vectors not found at {VECTORS_FILE}"
)


def vector(name: str) -> dict:
    """One vector by name."""
    return next(v for v in VECTORS if v["name"] == name)


def tolerance(v: dict, key: str) -> float:
    """A vector's tolerance for one expected key."""
    tol = v["tolerance"]
    return tol[key] if isinstance(tol, dict) else tol


def expand(table: list[list[int]]) -> tuple[list[int], list[int]]:
    """Rating pairs from a contingency table (rows = rater a, columns = rater b)."""
    a, b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [i] * count
            b += [j] * count
    return a, b


def parse_repeat(expr: str) -> list[int]:
    """'[0]*46+[1]*44' -> a list, without eval."""
    out: list[int] = []
    for value, times in re.findall(r"\[(\d+)\]\*(\d+)", expr):
        out += [int(value)] * int(times)
    return out


def test_every_vector_is_covered() -> None:
    covered = {
        "krippendorff_alpha",
        "cohen_kappa",
        "fleiss_kappa",
        "icc",
        "spearman_rho",
        "kendall_tau",
        "scott_pi/gwet_ac1/ac2/bp/alpha",
        "pairwise_verdict_agreement",
        "bland_altman",
    }
    assert {v["metric"] for v in VECTORS} <= covered


@pytest.mark.parametrize(
    "v", [v for v in VECTORS if v["metric"] == "krippendorff_alpha"], ids=lambda v: v["name"]
)
def test_krippendorff(v: dict) -> None:
    data = np.array([[np.nan if x is None else x for x in row] for row in v["data"]], dtype=float)
    alpha = stats.krippendorff_alpha(data, level=v["params"]["level_of_measurement"])
    assert alpha == pytest.approx(v["expected"]["alpha"], abs=v["tolerance"])
    assert alpha == pytest.approx(v["computed_full_precision"]["alpha"], abs=1e-9)


def test_cohen_wikipedia_2x2() -> None:
    v = vector("wikipedia_cohen_2x2_grant_proposals")
    a, b = expand(v["data"])
    assert stats.cohen_kappa(a, b) == pytest.approx(v["expected"]["kappa"], abs=v["tolerance"])
    assert stats.percent_agreement(a, b) == pytest.approx(v["expected"]["p_o"], abs=v["tolerance"])


def test_cohen_weighted_sklearn_3class() -> None:
    v = vector("sklearn_test_weighted_3class")
    a, b = parse_repeat(v["data"]["rater1"]), parse_repeat(v["data"]["rater2"])
    assert (a, b) == tuple(map(list, zip(*sorted(zip(*expand(v["data"]["as_table"])))))) or len(
        a
    ) == 100
    labels = v["params"]["categories"]
    for key, weights in (("none", None), ("linear", "linear"), ("quadratic", "quadratic")):
        assert stats.cohen_kappa(a, b, weights, labels) == pytest.approx(
            v["expected"][key], abs=tolerance(v, key)
        )


def test_cohen_gwet_3x3() -> None:
    v = vector("gwet_cont3x3abstractors_cohen")
    a, b = expand(v["data"])
    for key, weights in (("none", None), ("linear", "linear"), ("quadratic", "quadratic")):
        value = stats.cohen_kappa(a, b, weights, labels=[0, 1, 2])
        assert value == pytest.approx(v["expected"][key], abs=tolerance(v, key))


def test_fleiss() -> None:
    v = vector("wikipedia_fleiss_10subjects_14raters_5cats")
    parts = stats.fleiss_components(v["data"])
    tol = v["tolerance"]
    assert stats.fleiss_kappa(v["data"]) == pytest.approx(v["expected"]["kappa"], abs=tol)
    assert parts["P_bar"] == pytest.approx(v["expected"]["P_bar"], abs=tol)
    assert parts["P_e_bar"] == pytest.approx(v["expected"]["P_e_bar"], abs=tol)
    assert parts["p_j"] == pytest.approx(v["expected"]["p_j"], abs=tol)
    assert parts["P_i"] == pytest.approx(v["expected"]["P_i"], abs=tol)


def test_icc_shrout_fleiss() -> None:
    v = vector("shrout_fleiss_1979_6targets_4judges")
    expected, tol = v["expected"], v["tolerance"]
    names = {
        "ICC1": "ICC(1,1)",
        "ICC2": "ICC(2,1)",
        "ICC3": "ICC(3,1)",
        "ICC1k": "ICC(1,4)",
        "ICC2k": "ICC(2,4)",
        "ICC3k": "ICC(3,4)",
    }
    exact = dict(zip(names, (0.165742, 0.289764, 0.714841, 0.442797, 0.620051, 0.909316)))
    for form, published in names.items():
        value = stats.icc(v["data"], form)
        assert value == pytest.approx(expected[published], abs=tol)
        assert value == pytest.approx(exact[form], abs=1e-6)
        low, high = stats.icc_interval(v["data"], form)
        assert [low, high] == pytest.approx(expected["CI95_psych"][form], abs=0.006)
    c = icc_components(v["data"])
    assert c["msr"] / c["msw"] == pytest.approx(expected["F_oneway"], abs=tol)
    assert c["msr"] / c["mse"] == pytest.approx(expected["F_twoway"], abs=0.01)
    assert f_dist.sf(c["msr"] / c["msw"], 5, 18) == pytest.approx(expected["p_oneway"], abs=1e-4)
    assert f_dist.sf(c["msr"] / c["mse"], 5, 15) == pytest.approx(expected["p_twoway"], rel=0.05)


def test_spearman() -> None:
    v = vector("wikipedia_spearman_iq_tv")
    rho, p = stats.spearman(v["data"]["x_IQ"], v["data"]["y_TV_hours"])
    assert rho == pytest.approx(v["expected"]["rho"], abs=v["tolerance"])
    assert p == pytest.approx(v["expected"]["p_t_approx"], abs=v["tolerance"])


def test_kendall_b_and_c() -> None:
    v = vector("kendall1970_tau_b_tau_c_ties")
    x, y = v["data"]["x"], v["data"]["y"]
    assert stats.kendall(x, y).coefficient == pytest.approx(
        v["expected"]["tau_b"], abs=v["tolerance"]
    )
    assert stats.kendall(x, y, variant="c").coefficient == pytest.approx(
        v["expected"]["tau_c"], abs=v["tolerance"]
    )


def test_gwet_all_coefficients() -> None:
    v = vector("gwet_cont3x3abstractors_all_coefficients")
    a, b = expand(v["data"])
    e, tol, labels = v["expected"], v["tolerance"], [0, 1, 2]
    assert stats.percent_agreement(a, b) == pytest.approx(e["pa"], abs=tol)
    assert stats.cohen_kappa(a, b, labels=labels) == pytest.approx(e["cohen"], abs=tol)
    assert stats.scotts_pi(a, b, labels) == pytest.approx(e["scott_pi"], abs=tol)
    assert stats.scotts_pi(a, b, labels, weights="linear") == pytest.approx(
        e["scott_linear"], abs=tol
    )
    assert stats.scotts_pi(a, b, labels, weights="quadratic") == pytest.approx(
        e["scott_quadratic"], abs=tol
    )
    assert stats.gwet_ac1(a, b, labels) == pytest.approx(e["gwet_ac1"], abs=tol)
    assert stats.gwet_ac2(a, b, "linear", labels) == pytest.approx(e["ac2_linear"], abs=tol)
    assert stats.gwet_ac2(a, b, "quadratic", labels) == pytest.approx(e["ac2_quadratic"], abs=tol)
    assert stats.brennan_prediger(a, b, labels) == pytest.approx(e["brennan_prediger"], abs=tol)
    assert stats.krippendorff_alpha([a, b], "nominal") == pytest.approx(
        e["krippendorff_alpha"], abs=tol
    )


def test_mtbench_verdict_agreement() -> None:
    v = vector("mtbench_agreement_with_and_without_ties_toy")
    result = stats.verdict_agreement(v["data"]["judge"], v["data"]["human"])
    e = v["expected"]
    assert list(result.judge_human_with_tie) == e["judge_human_with_tie"]
    assert list(result.judge_human_without_tie) == e["judge_human_without_tie"]
    assert list(result.human_human_with_tie) == e["human_human_with_tie"]
    assert list(result.human_human_without_tie) == e["human_human_without_tie"]
    assert result.judge_human_with_tie.rate == pytest.approx(5 / 9)


def test_bland_altman() -> None:
    v = vector("bland_altman_1986_pefr_first_readings")
    wright, mini = v["data"]["wright_1"], v["data"]["mini_wright_1"]
    ba = stats.bland_altman(wright, mini)
    assert ba.mean_diff == pytest.approx(v["expected"]["mean_diff"], abs=v["tolerance"])
    assert ba.sd_diff == pytest.approx(v["expected"]["sd_diff"], abs=v["tolerance"])
    assert stats.pearson(wright, mini).coefficient == pytest.approx(
        v["expected"]["r"], abs=v["tolerance"]
    )
    two_sd = stats.bland_altman(wright, mini, z=2)
    assert (two_sd.lower, two_sd.upper) == pytest.approx((-79.65, 75.41), abs=0.01)
    assert ba.upper - ba.mean_diff == pytest.approx(1.96 * ba.sd_diff)
