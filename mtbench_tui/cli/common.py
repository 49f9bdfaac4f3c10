"""Shared CLI plumbing: the --db option, opening the store, and turning errors into clear exits."""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from mtbench_tui.core.jsonl import InputError
from mtbench_tui.core.paths import default_db_path
from mtbench_tui.core.store import Store

F = TypeVar("F", bound=Callable[..., Any])

EXIT_BAD_INPUT = 2
EXIT_GATE_FAILED = 1


def stdout() -> Console:
    """A console for results."""
    return Console(highlight=False)


def stderr() -> Console:
    """A console for progress and errors, so stdout stays clean for --json."""
    return Console(stderr=True, highlight=False)


def db_option(func: F) -> F:
    """Add ``--db PATH`` (default: $MTBENCH_REVIEW_DB, else annotations/mtbench.db)."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="SQLite database. Default: $MTBENCH_REVIEW_DB, else annotations/mtbench.db.",
    )(func)


def resolve_db(db_path: Path | None) -> Path:
    """The database path a command should use."""
    if db_path is not None:
        return db_path
    ctx = click.get_current_context(silent=True)
    inherited = ctx.find_root().params.get("db_path") if ctx else None
    return inherited or default_db_path()


def open_existing(db_path: Path | None) -> Store:
    """Open a database that must already exist (reading commands never create one)."""
    path = resolve_db(db_path)
    if not path.exists():
        fail(f"no database at {path}: run `mtbench-review import DIR --db {path}` first")
    return Store.open(path)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Print an error and exit non-zero."""
    stderr().print(f"[bold red]error:[/] {_escape(message)}", soft_wrap=True)
    sys.exit(code)


def handle_errors(func: F) -> F:
    """Turn bad input and database contention into a one-line message and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            fail(str(exc))
        except sqlite3.OperationalError as exc:
            fail(f"database error: {exc}")

    return wrapper  # type: ignore[return-value]


def _escape(text: str) -> str:
    """Escape Rich markup in text that came from files or users."""
    from rich.markup import escape

    return escape(text)
