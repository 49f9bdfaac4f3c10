"""Pairwise output for headless commands: `scores --mode pair`."""

from __future__ import annotations

import json

import click
from rich.table import Table
from rich.text import Text

from mtbench_tui.cli.common import stdout
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
