"""Headless data commands: import, scores, ratings. None of them loads the UI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from mtbench_tui.cli.common import (
    db_option,
    handle_errors,
    open_existing,
    resolve_db,
    stderr,
    stdout,
)
from mtbench_tui.cli.progress import ImportProgressBar
from mtbench_tui.core import loading
from mtbench_tui.core.importer import ImportSummary, import_sources
from mtbench_tui.core.jsonl import InputError
from mtbench_tui.core.store import Store
from mtbench_tui.core.textsafe import inert

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("import")
@click.argument("source", required=False, type=click.Path(exists=True, path_type=Path))
@db_option
@click.option("--questions", type=_FILE, help="A question.jsonl file.")
@click.option(
    "--answers", type=_FILE, multiple=True, help="A model_answer/<model>.jsonl file (repeatable)."
)
@click.option(
    "--references",
    type=_FILE,
    multiple=True,
    help="A reference_answer/<name>.jsonl file (repeatable).",
)
@click.option(
    "--judgments",
    type=_FILE,
    multiple=True,
    help="A model_judgment/*_single.jsonl file (repeatable).",
)
@click.option(
    "--pairs", type=_FILE, multiple=True, help="A model_judgment/*_pair.jsonl file (repeatable)."
)
@click.option(
    "--votes",
    type=_FILE,
    multiple=True,
    help="Pairwise votes in the layout of lmsys/mt_bench_human_judgments: .parquet,"
    " .jsonl or .json (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@handle_errors
def import_cmd(
    source: Path | None,
    db_path: Path | None,
    questions: Path | None,
    answers: tuple[Path, ...],
    references: tuple[Path, ...],
    judgments: tuple[Path, ...],
    pairs: tuple[Path, ...],
    votes: tuple[Path, ...],
    as_json: bool,
) -> None:
    """Import a FastChat llm_judge data directory (or single files) into the database.

    SOURCE is a directory holding question.jsonl, model_answer/, and optionally
    model_judgment/ and reference_answer/; or one .jsonl file of judgments or of
    human ratings exported with `mtbench-review export --format fastchat`.
    The whole import is one transaction: on any error nothing is written.

    \b
    Examples:
      mtbench-review import data/demo
      mtbench-review import ../FastChat/fastchat/llm_judge/data/mt_bench --db runs.db
      mtbench-review import --questions q.jsonl --answers model_answer/vicuna.jsonl
      mtbench-review import alice_ratings.jsonl
      mtbench-review import --questions question.jsonl --votes human.parquet --votes gpt4_pair.parquet
    """
    sources = _sources(source, questions, answers, references, judgments, pairs, votes)
    path = resolve_db(db_path)
    summary = import_into(path, sources)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2))
    else:
        print_summary(summary, path)


def import_into(path: Path, sources: loading.DataSources) -> ImportSummary:
    """Import into the database at ``path``; a database this call created is removed again on failure."""
    created = not path.exists()
    store = Store.open(path)
    try:
        with ImportProgressBar(stderr()) as bar:
            return import_sources(store, sources, bar)
    except BaseException:
        store.close()
        if created:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    finally:
        store.close()


def _sources(
    source: Path | None,
    questions: Path | None,
    answers: tuple[Path, ...],
    references: tuple[Path, ...],
    judgments: tuple[Path, ...],
    pairs: tuple[Path, ...],
    votes: tuple[Path, ...] = (),
) -> loading.DataSources:
    """Combine a directory or file with the single-file options."""
    if source is not None and source.is_dir():
        found = loading.discover(source)
    else:
        found = loading.DataSources()
        if source is not None:
            _place_file(found, source)
    if questions:
        found.questions = [questions]
    found.answers += list(answers)
    found.references += list(references)
    found.judgments += list(judgments)
    found.pairs += list(pairs)
    found.votes += list(votes)
    if not found.all_files():
        raise InputError(
            source or "(arguments)", 0, None, "nothing to import: give a directory or files"
        )
    return found


def _place_file(found: loading.DataSources, path: Path) -> None:
    """Sort a lone file by its name: question.jsonl, *_pair.jsonl, or judgments/ratings."""
    if path.name == "question.jsonl":
        found.questions.append(path)
    elif path.suffix == ".parquet":
        found.votes.append(path)
    elif path.stem.endswith("_pair"):
        found.pairs.append(path)
    else:
        found.judgments.append(path)


def print_summary(summary: ImportSummary, path: Path) -> None:
    """A table of what the import did."""
    table = Table(title=f"Imported into {path}", title_justify="left")
    for column in ("kind", "read", "new", "updated", "unchanged", "repeated", "no verdict"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for name, k in summary.kinds.items():
        no_verdict = str(k.no_verdict) if name == "judgments" else ""
        table.add_row(
            name,
            str(k.read),
            str(k.new),
            str(k.updated),
            str(k.unchanged),
            str(k.repeated),
            no_verdict,
        )
    console = stdout()
    console.print(table)
    if summary.changed:
        console.print(f"{summary.changed} stored row(s) had different content and were updated.")
    for note in summary.notes:
        console.print(f"note: {inert(note)}")


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
    store = open_existing(db_path)
    judge = store.default_judge()
    rows = (_rating_dict(store, r, judge) for r in store.ratings.iter_all(reviewer))
    if as_json:
        _stream_json_list(rows)
        return
    table = Table(title=f"Ratings (judge column: {judge or 'none'})", title_justify="left")
    for column in (
        "question",
        "model",
        "turn",
        "reviewer",
        "score",
        "judge",
        "flags",
        "note",
        "updated",
    ):
        table.add_column(column)
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
            r["updated"],
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
