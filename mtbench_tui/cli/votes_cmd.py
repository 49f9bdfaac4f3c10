"""`mtbench-review votes`: list human pair votes, as each reviewer saw A and B, beside the judge."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import click
from rich.text import Text

from mtbench_tui.cli.common import (
    db_option,
    handle_errors,
    listing_table,
    open_existing,
    stdout,
    to_the_minute,
)
from mtbench_tui.core.pair_review import default_pair_judge
from mtbench_tui.core.store.vote_listing import ListedVote, list_votes
from mtbench_tui.core.textsafe import visible_controls

_COLUMNS = ("Q", "turn", "A", "B", "vote", "judge", "reviewer", "flags", "note", "updated")
_FOLDED = {"A", "B", "reviewer", "flags", "note"}
"""Columns whose text wraps instead of being cut, so a name is always shown whole."""


@click.command("votes")
@db_option
@click.option("--reviewer", help="Only this reviewer's votes.")
@click.option("--judge", help="The pair judge shown beside each vote (default: most verdicts).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list (streamed).")
@handle_errors
def votes_cmd(db_path: Path | None, reviewer: str | None, judge: str | None, as_json: bool) -> None:
    """List human pair votes beside the judge's verdict on the same turn.

    model_a is the model the reviewer saw as answer A; winner and judge_winner are
    model_a, model_b or tie (the judge's can also be inconsistent or error). A row whose
    winner is null holds only a comment or flags.

    \b
    Examples:
      mtbench-review votes
      mtbench-review votes --reviewer alice --json
    """
    store = open_existing(db_path)
    judge = judge or default_pair_judge(store)
    votes = list_votes(store.db, reviewer, judge)
    if as_json:
        _stream_json(votes)
    else:
        _print_table(votes, judge)
    store.close()


def _stream_json(votes: Iterable[ListedVote]) -> None:
    """Write a JSON array one vote at a time, so memory stays flat."""
    click.echo("[", nl=False)
    for index, vote in enumerate(votes):
        click.echo(("," if index else "") + "\n  " + json.dumps(vote.to_json()), nl=False)
    click.echo("\n]")


def _print_table(votes: Iterable[ListedVote], judge: str | None) -> None:
    """Print the votes as a table; every name and note is shown literally."""
    title = Text("Pair votes (judge column: ")
    title.append(visible_controls(judge or "none")).append(")")
    table = listing_table(title)
    for column in _COLUMNS:
        folded = column in _FOLDED
        table.add_column(
            column,
            min_width=len(column),
            no_wrap=column == "updated",
            overflow="fold" if folded else "ellipsis",
        )
    for vote in votes:
        table.add_row(*_cells(vote))
    stdout().print(table)


def _cells(v: ListedVote) -> list[Text]:
    """One table row; text from the data is made inert."""

    def name(side: str | None) -> str:
        return {"model_a": "A", "model_b": "B"}.get(side or "", side or "-")

    values = [
        str(v.question_id),
        str(v.turn),
        v.model_a,
        v.model_b,
        name(v.winner),
        name(v.judge_winner),
        v.reviewer,
        ", ".join(v.flags),
        v.note[:40],
        to_the_minute(v.updated),
    ]
    return [Text(visible_controls(value)) for value in values]
