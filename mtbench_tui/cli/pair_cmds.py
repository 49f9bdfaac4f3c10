"""Pairwise output for headless commands: `scores --mode pair`."""

from __future__ import annotations

import json

import click
from rich.table import Table
from rich.text import Text

from mtbench_tui.cli.common import stdout
from mtbench_tui.core.pairwise.results import Cell
from mtbench_tui.core.pairwise.scores import pair_scores
from mtbench_tui.core.store import Store


def print_pair_scores(store: Store, baseline: str | None, judge: str | None, as_json: bool) -> None:
    """Print pairwise win rates as FastChat's show_result.py computes them.

    Args:
        store: the database.
        baseline: pairwise-baseline mode against this model, else pairwise-all.
        judge: only this judge label.
        as_json: print a JSON list instead of a table.
    """
    rows = pair_scores(store, baseline, judge)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in rows], indent=2))
        return
    mode = f"against {baseline}" if baseline else "all pairs"
    table = Table(title=Text(f"Pairwise win rates ({mode})"), title_justify="left")
    for column in ("model", "judge", "win", "loss", "tie", "win rate", "loss rate", "adjusted"):
        left = column in ("model", "judge")
        table.add_column(column, justify="left" if left else "right", no_wrap=left)
    for r in rows:
        table.add_row(
            Text(r.model),
            Text(r.judge),
            str(r.win),
            str(r.loss),
            str(r.tie),
            f"{r.win_rate:.4f}",
            f"{r.loss_rate:.4f}",
            f"{r.win_rate_adjusted:.4f}",
        )
    stdout().print(table)


def print_pair_agreement(
    store: Store, humans: str | None, as_json: bool, n_resamples: int = 2000, seed: int = 0
) -> None:
    """Print pairwise agreement laid out like MT-Bench's Table 5 (or its JSON).

    Args:
        store: the database.
        humans: the reviewer group forming the human pool; None pools everyone.
        as_json: print ``PairwiseAgreement.to_json()`` instead of a table.
        n_resamples: bootstrap resamples for the intervals.
        seed: random seed for the intervals.
    """
    from mtbench_tui.core.pairwise.agreement import pairwise_agreement

    result = pairwise_agreement(store, humans, n_resamples=n_resamples, seed=seed)
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
        return
    pool = humans or "all reviewers"
    table = Table(
        title=Text(f"Pairwise agreement (humans: {pool}; random: 33% with ties, 50% without)"),
        title_justify="left",
    )
    for column in ("judge", "vs", "turn", "with ties", "without ties", "kappa"):
        table.add_column(column, justify="left" if column in ("judge", "vs") else "right")
    rows = [*result.judge_human, *([result.human_human] if result.human_human else [])]
    for row in [*rows, *result.judge_majority, *result.judge_judge]:
        name = row.first if row.kind != "single" else f"{row.first} (single)"
        for cells in (*row.turns, row.overall):
            kappa = row.kappa.value if cells.scope == "all" else None
            table.add_row(
                Text(name),
                Text(row.second),
                cells.scope,
                _cell(cells.with_ties),
                _cell(cells.without_ties),
                "" if kappa is None else f"{kappa:.3f}",
            )
    stdout().print(table)


def _cell(cell: Cell) -> str:
    """``66% (886/1343)``, or a dash when empty."""
    if cell.rate is None:
        return "-"
    return f"{cell.rate:.0%} ({cell.agree}/{cell.total})"
