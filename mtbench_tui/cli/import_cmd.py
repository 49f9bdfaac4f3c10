"""The import command: FastChat files (or exported ratings) into the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mtbench_tui.cli.common import db_option, handle_errors, resolve_db, stderr, stdout

if TYPE_CHECKING:
    from mtbench_tui.core import loading
    from mtbench_tui.core.importer import ImportSummary

# Existence and file type are checked when the file is opened, with a one-line message
# naming it (a FIFO or a directory named *.jsonl is refused before it is opened).
_FILE = click.Path(path_type=Path)


@click.command("import")
@click.argument("source", required=False, type=click.Path(path_type=Path))
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
      mtbench-review import --questions q.jsonl --votes human.parquet --votes gpt4_pair.parquet
    """
    sources = _sources(source, questions, answers, references, judgments, pairs, votes)
    path = resolve_db(db_path)
    summary = import_into(path, sources)
    if as_json:
        data = summary.to_dict()
        data["write_lock_seconds"] = round(summary.lock_seconds, 3)
        click.echo(json.dumps(data, indent=2))
    else:
        print_summary(summary, path)


def import_into(path: Path, sources: loading.DataSources) -> ImportSummary:
    """Import into the database at ``path``; a database this call created is removed on failure."""
    from mtbench_tui.cli.progress import ImportProgressBar
    from mtbench_tui.core.importer import import_sources
    from mtbench_tui.core.store import Store

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
    from mtbench_tui.core import loading
    from mtbench_tui.core.jsonl import InputError

    if source is not None and not source.exists() and not source.is_symlink():
        raise InputError(source, 0, None, "no such file or directory")
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
    from rich.table import Table

    from mtbench_tui.core.textsafe import inert

    table = Table(title=f"Imported into {inert(str(path))}", title_justify="left")
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
