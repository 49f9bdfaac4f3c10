"""Pairwise verdict agreement (MT-Bench's Table 5) as the report's generic agreement tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from mtbench_tui.core.analysis.model import AgreementCell, AgreementTable, TableRow
from mtbench_tui.core.analysis.numbers import Estimate, Interval, clean
from mtbench_tui.core.pairwise.results import AgreementRow, Cell, Cells, Kappa, PairwiseAgreement

COLUMNS = ("with ties", "without ties")
COLUMN_KEYS = ("with_ties", "without_ties")
SCOPES = ("turn 1", "turn 2", "all")
"""The Table-5 scopes, in reading order (``all`` = both turns)."""


def verdict_tables(
    result: PairwiseAgreement, judge: str | None = None
) -> tuple[AgreementTable, ...]:
    """The pairwise analysis as report tables; tables without rows are left out.

    Args:
        result: ``core.pairwise.agreement.pairwise_agreement``'s result.
        judge: keep only this judge's rows (and the humans'); None keeps every judge.

    Returns:
        Judges and humans against the human pool (Table 5), judges against the pool's
        majority vote, judges against each other, and the first by category.
    """
    if judge is not None:
        result = _only(result, judge)
    pool = pool_name(result.settings.humans)
    humans = [*result.judge_human, *([result.human_human] if result.human_human else [])]
    tables = (
        _table(
            "judge_human",
            f"Pairwise verdicts vs {pool} votes (MT-Bench Table 5)",
            _by_scope(humans, pool),
            _note(result, pool),
        ),
        _table(
            "judge_majority",
            f"Pairwise verdicts vs the {pool} majority vote",
            _by_scope(result.judge_majority, pool),
            "The majority is the label most of the pool's votes on a comparison chose; "
            "comparisons whose top label is shared are left out.",
        ),
        _table(
            "judge_judge",
            "Judge vs judge on the same comparisons",
            _by_scope(result.judge_judge, pool),
            "Single-grade judges vote for the answer they scored higher (equal scores tie).",
        ),
        _table(
            "by_category",
            f"Pairwise verdicts vs {pool} votes, by category",
            _by_category(humans, pool),
            "Both turns together.",
        ),
    )
    return tuple(t for t in tables if t.rows)


def _only(result: PairwiseAgreement, judge: str) -> PairwiseAgreement:
    """The result with only one judge's rows."""
    return replace(
        result,
        judge_human=_first_is(result.judge_human, judge),
        judge_majority=_first_is(result.judge_majority, judge),
        judge_judge=tuple(
            r for r in result.judge_judge if r.first == judge or r.second.startswith(f"{judge} (")
        ),
    )


def _first_is(rows: tuple[AgreementRow, ...], judge: str) -> tuple[AgreementRow, ...]:
    """The rows of one judge."""
    return tuple(r for r in rows if r.first == judge)


def pool_name(humans: str | None) -> str:
    """'expert' for a reviewer group, 'human' for everyone.

    Args:
        humans: the reviewer group of the pool, or None.

    Returns:
        The name used in titles and labels.
    """
    return humans if humans is not None else "human"


def _table(key: str, title: str, rows: list[TableRow], note: str) -> AgreementTable:
    """A two-column (with / without ties) table."""
    return AgreementTable(key, title, COLUMNS, tuple(rows), note, COLUMN_KEYS)


def _note(result: PairwiseAgreement, pool: str) -> str:
    """What the Table-5 numbers mean and rest on."""
    s = result.settings
    intervals = (
        f"{s.n_resamples} bootstrap resamples of whole questions"
        if s.n_resamples
        else "none (no bootstrap)"
    )
    return (
        f"Pool: {pool} votes ({result.n_votes} votes by {result.n_reviewers} reviewers on "
        f"{result.n_comparisons} comparisons). Counted as FastChat's compute_agreement.py: a "
        "judge against every vote on the comparisons it decided; humans against humans over "
        "every pair of votes on one comparison; any tie label is a tie. Random agreement is "
        "0.333 with ties and 0.500 without. κ is Cohen's kappa over A / B / tie on both "
        f"turns. Intervals: {intervals}. Single-grade judges vote for the answer they scored "
        "higher (equal scores tie)."
    )


def _by_scope(rows: Iterable[AgreementRow], pool: str) -> list[TableRow]:
    """Turn 1, turn 2, then both turns; within each, the rows in the analysis's order."""
    rows = list(rows)
    out = []
    for scope in SCOPES:
        for row in rows:
            cells = row.overall if scope == "all" else row.turn(int(scope[-1]))
            kappa = row.kappa if scope == "all" else None
            out.append(_row(row, cells, scope, pool, kappa))
    return out


def _by_category(rows: Iterable[AgreementRow], pool: str) -> list[TableRow]:
    """Every row's category slices, grouped by category."""
    rows = list(rows)
    names = sorted({c.scope for r in rows for c in r.categories})
    return [
        _row(row, cells, name, pool, None)
        for name in names
        for row in rows
        for cells in row.categories
        if cells.scope == name
    ]


def _row(row: AgreementRow, cells: Cells, scope: str, pool: str, kappa: Kappa | None) -> TableRow:
    """One comparison in one scope."""
    where = "both turns" if scope == "all" else scope.removeprefix("category ")
    label = f"{where} · {_who(row.first, row.kind, pool)} vs {_whom(row.second, pool)}"
    return TableRow(
        label,
        (_cell(cells.with_ties, kappa), _cell(cells.without_ties, None)),
        first=row.first,
        kind=row.kind,
        second=row.second,
        scope=scope,
    )


def _who(first: str, kind: str, pool: str) -> str:
    """'gpt-4 (pair)', 'gpt-4 (single grades)' or the pool."""
    if kind == "human":
        return pool
    return f"{first} ({'single grades' if kind == 'single' else 'pair'})"


def _whom(second: str, pool: str) -> str:
    """The other side: the pool, its majority, or another judge."""
    if second == "humans":
        return pool
    if second == "human majority":
        return f"{pool} majority"
    return second


def _cell(cell: Cell, kappa: Kappa | None) -> AgreementCell:
    """P's cell as the report's cell, numbers rounded like every other report number."""
    low, high = cell.ci if cell.ci else (None, None)
    return AgreementCell(
        agree=cell.agree,
        total=cell.total,
        rate=Estimate(clean(cell.rate), Interval(clean(low), clean(high))),
        n_questions=cell.n_questions,
        baseline=clean(cell.random),
        kappa=_kappa(kappa) if kappa is not None else None,
    )


def _kappa(kappa: Kappa) -> Estimate:
    """Kappa with its interval."""
    low, high = kappa.ci if kappa.ci else (None, None)
    return Estimate(clean(kappa.value), Interval(clean(low), clean(high)))
