"""Shared CLI plumbing: the --db option, opening the store, and one-line errors.

Imports here stay light (click only): ``--help`` loads this module, and Rich, SQLite and
the store are imported by the functions that use them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from mtbench_tui.core.store import Store

F = TypeVar("F", bound=Callable[..., Any])

EXIT_BAD_INPUT = 2
EXIT_GATE_FAILED = 1
EXIT_INTERNAL = 70
"""An error the code did not expect (sysexits' EX_SOFTWARE)."""

_skip_teardown = [False]


def skip_teardown() -> None:
    """Let the process end without the interpreter's teardown once this command returns.

    For read-only commands that leave nothing to close: after a report on 1M judgments,
    freeing every object and unloading scipy took 0.13-0.18 s of a 3.5 s run.
    """
    _skip_teardown[0] = True


def reset_teardown() -> None:
    """Start a command with the teardown on."""
    _skip_teardown[0] = False


def teardown_skipped() -> bool:
    """Whether the running command asked to skip the teardown."""
    return _skip_teardown[0]


def stdout() -> Console:
    """A console for results."""
    from rich.console import Console

    return Console(highlight=False)


def stderr() -> Console:
    """A console for progress and errors, so stdout stays clean for --json."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def listing_table(title: str | Text) -> Table:
    """A table listing stored records (``ratings``, ``votes``) that fits an 80-column pipe.

    Light borders, and no padding since the borderless box already puts one space between
    columns, leave room for whole names and headers.

    Args:
        title: markup, or a Text for a title holding text from data.

    Returns:
        The empty table.
    """
    from rich import box
    from rich.table import Table

    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=0)


def to_the_minute(stamp: str) -> str:
    """An ISO timestamp as a listing shows it (``2026-11-29 19:29``; ``--json`` keeps it whole)."""
    return stamp[:16].replace("T", " ")


def db_option(func: F) -> F:
    """Add ``--db PATH`` (default: $MTBENCH_REVIEW_DB, else annotations/mtbench.db)."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(path_type=Path),
        default=None,
        help="SQLite database. Default: $MTBENCH_REVIEW_DB, else annotations/mtbench.db.",
    )(func)


def resolve_db(db_path: Path | None) -> Path:
    """The database path a command should use."""
    if db_path is not None:
        return db_path
    ctx = click.get_current_context(silent=True)
    inherited = ctx.find_root().params.get("db_path") if ctx else None
    if inherited:
        return Path(inherited)
    from mtbench_tui.core.paths import default_db_path

    return default_db_path()


def open_existing(db_path: Path | None, *, write: bool = False) -> Store:
    """Open a database that must already exist (reading commands never create one).

    Args:
        db_path: the --db value, or None for the default.
        write: open for writing (migrating an older schema). Reading commands leave it
            False: they never write, migrate or switch the file to WAL.

    Returns:
        The open store.
    """
    from mtbench_tui.core.store import Store

    path = resolve_db(db_path)
    if not path.exists() and not path.is_symlink():
        fail(f"no database at {path}: run `mtbench-review import DIR --db {path}` first")
    store = Store.open(path) if write else Store.open_readonly(path)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        # Closed when the command ends, so SQLite removes its -wal/-shm files then.
        ctx.call_on_close(store.close)
    return store


def one_line(text: str) -> str:
    """Text from files or users made safe for a one-line terminal message."""
    from mtbench_tui.core.textsafe import visible_controls

    return visible_controls(text).replace("\n", "\\n").replace("\t", "\\t")


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print a one-line error on stderr and exit non-zero."""
    click.echo(f"{click.style('error:', fg='red', bold=True)} {one_line(message)}", err=True)
    sys.exit(code)


def handle_errors(func: F) -> F:
    """Kept for the commands that use it: errors are now handled once, by the command group.

    ``mtbench_tui.cli.main`` turns every exception into a one-line message and a non-zero
    exit (or a traceback with ``--debug``).
    """
    return func
