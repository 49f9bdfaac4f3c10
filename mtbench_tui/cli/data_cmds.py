"""Headless reading commands: scores, ratings, and upgrade. None of them loads the UI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mtbench_tui.cli.common import (
    db_option,
    handle_errors,
    listing_table,
    one_line,
    open_existing,
    resolve_db,
    stdout,
    to_the_minute,
)

if TYPE_CHECKING:
    from mtbench_tui.core.store import Store


@click.command("scores")
@db_option
@click.option("--judge", help="Only this judge (e.g. gpt-4, or human:expert in pair mode).")
@click.option(
    "--mode",
    type=click.Choice(["single", "pair"]),
    default="single",
    show_default=True,
    help="single: 1-10 grades; pair: pairwise win rates (judges and reviewer groups).",
)
@click.option("--baseline", help="Pair mode: only comparisons against this model.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@handle_errors
def scores_cmd(
    db_path: Path | None, judge: str | None, mode: str, baseline: str | None, as_json: bool
) -> None:
    """The MT-Bench leaderboard from single judgments, as FastChat's show_result.py --mode single.

    Each model's mean score on turn 1, turn 2 and overall (both turns pooled);
    verdicts with no rating (FastChat's -1) are left out and counted as n_no_verdict.

    \b
    Examples:
      mtbench-review scores
      mtbench-review scores --judge gpt-4 --json
      mtbench-review scores --mode pair --baseline gpt-3.5-turbo
    """
    from rich.table import Table

    from mtbench_tui.core.textsafe import inert

    store = open_existing(db_path)
    if mode == "pair":
        from mtbench_tui.cli.pair_cmds import print_pair_scores

        print_pair_scores(store, baseline, judge, as_json)
        return
    board = store.content.leaderboard(judge)
    if as_json:
        click.echo(json.dumps([_board_dict(r) for r in board], indent=2))
        return
    table = Table(title="MT-Bench scores (single-answer grading)", title_justify="left")
    for column in ("model", "judge", "turn 1", "turn 2", "overall", "n", "no verdict"):
        table.add_column(column, justify="left" if column in ("model", "judge") else "right")
    for r in board:
        table.add_row(
            inert(r.model),
            inert(r.judge),
            _fmt(r.turn1),
            _fmt(r.turn2),
            _fmt(r.overall),
            str(r.n),
            str(r.n_no_verdict),
        )
    stdout().print(table)


def _board_dict(r: Any) -> dict[str, Any]:
    """A leaderboard row for JSON."""
    return {
        "model": r.model,
        "judge": r.judge,
        "turn1": r.turn1,
        "turn2": r.turn2,
        "overall": r.overall,
        "n": r.n,
        "n_no_verdict": r.n_no_verdict,
        "n_turn1": r.n_turn1,
        "n_turn2": r.n_turn2,
    }


def _fmt(value: float | None) -> str:
    """A score to 4 decimals, or a dash."""
    return "-" if value is None else f"{value:.4f}"


@click.command("ratings")
@db_option
@click.option("--reviewer", help="Only this reviewer's ratings.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list (streamed).")
@handle_errors
def ratings_cmd(db_path: Path | None, reviewer: str | None, as_json: bool) -> None:
    """List stored human ratings beside the judge's score for the same turn.

    \b
    Examples:
      mtbench-review ratings
      mtbench-review ratings --reviewer alice --json
    """
    from mtbench_tui.core.textsafe import inert

    store = open_existing(db_path)
    judge = store.default_judge()
    rows = (_rating_dict(store, r, judge) for r in store.ratings.iter_all(reviewer))
    if as_json:
        _stream_json_list(rows)
        return
    # Names wrap rather than lose characters; the judge label in the title is data, so inert.
    table = listing_table(inert(f"Ratings (judge column: {judge or 'none'})"))
    for column in ("question", "model", "turn", "reviewer", "score", "judge", "flags"):
        numeric = column in ("question", "turn", "score", "judge")
        table.add_column(
            column,
            justify="right" if numeric else "left",
            no_wrap=numeric,
            min_width=len(column),
            overflow="fold",
        )
    table.add_column("note", overflow="ellipsis")
    table.add_column("updated", no_wrap=True)
    for r in rows:
        table.add_row(
            str(r["question_id"]),
            inert(r["model"]),
            str(r["turn"]),
            inert(r["reviewer"]),
            _opt(r["score"]),
            _opt(r["judge_score"]),
            ", ".join(r["flags"]),
            inert(_clip(r["note"], 40)),
            to_the_minute(r["updated"]),
        )
    stdout().print(table)


def _rating_dict(store: Store, rating: Any, judge: str | None) -> dict[str, Any]:
    """A rating with the judge's score for the same turn."""
    verdicts = {}
    for j in store.content.judgments(rating.key.item):
        if j.turn == rating.turn:
            verdicts[j.judge] = j.score
    return {
        "question_id": rating.question_id,
        "model": rating.model,
        "turn": rating.turn,
        "reviewer": rating.reviewer,
        "score": rating.score,
        "note": rating.note,
        "flags": list(rating.flags),
        "blind": rating.blind,
        "created": rating.created,
        "updated": rating.updated,
        "judge": judge,
        "judge_score": verdicts.get(judge) if judge else None,
        "judge_scores": verdicts,
    }


def _stream_json_list(rows: Any) -> None:
    """Write a JSON array one element at a time, so memory stays flat."""
    click.echo("[", nl=False)
    for index, row in enumerate(rows):
        click.echo(("," if index else "") + "\n  " + json.dumps(row, ensure_ascii=False), nl=False)
    click.echo("\n]")


def _clip(text: str, width: int) -> str:
    """At most ``width`` characters; a cut text ends with "…" so it can't pass for the whole."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _opt(value: Any) -> str:
    """A value or a dash."""
    return "-" if value is None else f"{value:g}"


@click.command("upgrade")
@db_option
def upgrade_cmd(db_path: Path | None) -> None:
    """Bring a database made by an older mtbench-review to this version's schema.

    Reading commands (stats, scores, ratings, export) never change a database, so they
    refuse one whose schema is older; this applies the missing migrations. Writing
    commands (import, judge, the app) upgrade on their own.

    \b
    Examples:
      mtbench-review upgrade --db old.db
    """
    from mtbench_tui.core.store import schema

    store = open_existing(db_path, write=True)
    version = schema.inspect(store.db, str(store.path)).version
    store.close()
    click.echo(f"{one_line(str(resolve_db(db_path)))}: schema {version}")
