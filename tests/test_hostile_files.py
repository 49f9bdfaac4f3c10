"""Files and databases that aren't what they claim: one-line refusals, no hangs, nothing written."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtbench_tui.cli import main
from mtbench_tui.core.paths import demo_data_dir
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.migrations import MIGRATIONS

READ_COMMANDS = [
    ["stats", "--bootstrap", "10"],
    ["scores"],
    ["ratings"],
    ["export", "--format", "json", "--bootstrap", "10", "-o", "-"],
]
NOBODY = 65534


def cli(*args: str, timeout: float = 60, as_nobody: bool = False, fresh: bool = False) -> Result:
    """Run mtbench-review: in this process, or in a fresh one where a hang must fail by timeout."""
    if not (fresh or as_nobody):
        out = CliRunner().invoke(main, list(args))
        assert not isinstance(out.exception, Exception), out.exception
        return Result(out.exit_code, out.stdout, out.stderr)
    prefix: list[str] = []
    if as_nobody:
        prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "mtbench_tui", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Result(done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class Result:
    """What a command did."""

    returncode: int
    stdout: str
    stderr: str


def assert_one_line_error(result: Result, *needles: str) -> None:
    """Non-zero exit, nothing on stdout, exactly one line on stderr holding every needle."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def digest(path: Path) -> str:
    """SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> list[str]:
    """The names beside a database file (to spot -wal/-shm left behind)."""
    return sorted(p.name for p in path.parent.iterdir())


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A directory that another user (nobody) can enter: pytest's own tmp_path is private."""
    path = Path(tempfile.mkdtemp(prefix="mtbench-hostile-"))
    path.chmod(0o777)
    yield path
    for sub in path.rglob("*"):
        if not sub.is_symlink():
            sub.chmod(0o777 if sub.is_dir() else 0o666)
    shutil.rmtree(path)


@pytest.fixture
def demo_db(open_dir: Path) -> Path:
    """A database holding the demo, closed and checkpointed (no -wal beside it)."""
    path = open_dir / "db" / "demo.db"
    path.parent.mkdir()
    path.parent.chmod(0o777)
    result = cli("import", str(demo_data_dir()), "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert siblings(path) == ["demo.db"]
    return path


@pytest.fixture
def data(open_dir: Path) -> Path:
    """A writable copy of the demo data, readable by anyone."""
    target = open_dir / "data"
    shutil.copytree(demo_data_dir(), target)
    for sub in [target, *target.rglob("*")]:
        sub.chmod(0o755 if sub.is_dir() else 0o644)
    return target


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """An empty directory for odd database files, so that siblings() sees only them."""
    path = tmp_path / "files"
    path.mkdir()
    return path


def test_fifo_named_jsonl_is_refused_without_hanging(data: Path, demo_db: Path) -> None:
    fifo = data / "model_judgment" / "stream_single.jsonl"
    os.mkfifo(fifo)
    before = digest(demo_db)
    result = cli("import", str(data), "--db", str(demo_db), fresh=True)
    assert_one_line_error(result, str(fifo), "FIFO")
    result = cli("import", "--judgments", str(fifo), "--db", str(demo_db), fresh=True)
    assert_one_line_error(result, "FIFO")
    assert digest(demo_db) == before


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.symlink_to(p), "symlink loop"),
        (lambda p: p.symlink_to(p.parent / "gone.jsonl"), "dangling symlink"),
        (lambda p: p.symlink_to("/dev/zero"), "is a device"),
    ],
    ids=["directory", "symlink-loop", "dangling-symlink", "dev-zero"],
)
def test_odd_files_in_a_data_directory(data: Path, demo_db: Path, make, needle: str) -> None:  # type: ignore[no-untyped-def]
    odd = data / "model_answer" / "odd.jsonl"
    make(odd)
    before = digest(demo_db)
    assert_one_line_error(cli("import", str(data), "--db", str(demo_db)), f"{odd}: ", needle)
    assert digest(demo_db) == before


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv to drop root")
def test_unreadable_file(open_dir: Path, data: Path) -> None:
    tmp_path = open_dir
    secret = data / "model_answer" / "orion-70b-chat.jsonl"
    secret.chmod(0o000)
    if os.geteuid() != 0:  # without root, the file is unreadable to us already
        result = cli("import", str(data), "--db", str(tmp_path / "new.db"))
    else:
        result = cli("import", str(data), "--db", str(tmp_path / "new.db"), as_nobody=True)
    assert_one_line_error(result, str(secret), "Permission denied")
    assert not (tmp_path / "new.db").exists()


def test_missing_source(tmp_path: Path, demo_db: Path) -> None:
    assert_one_line_error(
        cli("import", str(tmp_path / "nope"), "--db", str(demo_db)), "no such file"
    )


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_not_sqlite_database(files: Path, command: list[str]) -> None:
    fake = files / "notes.db"
    fake.write_text("these are my notes, not a database\n")
    before = digest(fake)
    assert_one_line_error(cli(*command, "--db", str(fake)), "not an mtbench-review database")
    assert digest(fake) == before and siblings(fake) == ["notes.db"]


def test_import_into_non_sqlite_file_leaves_it_alone(files: Path) -> None:
    fake = files / "notes.db"
    fake.write_text("not a database")
    result = cli("import", str(demo_data_dir()), "--db", str(fake))
    assert_one_line_error(result, "not an mtbench-review database")
    assert fake.read_text() == "not a database" and siblings(fake) == ["notes.db"]


@pytest.mark.parametrize("command", [["import", str(demo_data_dir())], *READ_COMMANDS])
def test_truncated_database(demo_db: Path, command: list[str]) -> None:
    data = demo_db.read_bytes()
    demo_db.write_bytes(data[: len(data) // 2])
    before = digest(demo_db)
    result = cli(*command, "--db", str(demo_db))
    assert_one_line_error(result, str(demo_db))
    # SQLite notices it reading the header ("malformed"), else the length check does.
    assert "truncated" in result.stderr or "damaged" in result.stderr
    assert digest(demo_db) == before


def test_database_that_is_a_directory_or_fifo(files: Path) -> None:
    (files / "dir.db").mkdir()
    os.mkfifo(files / "fifo.db")
    for name in ("dir.db", "fifo.db"):
        for command in (["scores"], ["import", str(demo_data_dir())]):
            result = cli(*command, "--db", str(files / name), timeout=30, fresh=True)
            assert_one_line_error(result, "not a regular file")


def foreign_database(path: Path) -> None:
    """Another application's SQLite file, in rollback-journal mode."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices (total) VALUES (12.5)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("command", [["import", str(demo_data_dir())], *READ_COMMANDS])
def test_foreign_database_is_refused_untouched(files: Path, command: list[str]) -> None:
    other = files / "invoices.db"
    foreign_database(other)
    before = digest(other)
    assert_one_line_error(cli(*command, "--db", str(other)), "not an mtbench-review database")
    assert digest(other) == before and siblings(other) == ["invoices.db"]
    conn = sqlite3.connect(other)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["invoices"]


@pytest.mark.parametrize("command", [["import", str(demo_data_dir())], *READ_COMMANDS])
def test_newer_schema_is_refused_naming_both_versions(demo_db: Path, command: list[str]) -> None:
    conn = sqlite3.connect(demo_db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        [MIGRATIONS.name, "0099_from_the_future", "2030-01-01"],
    )
    conn.commit()
    conn.close()
    before = digest(demo_db)
    latest = MIGRATIONS._migrations[-1].name
    result = cli(*command, "--db", str(demo_db))
    assert_one_line_error(result, "newer", "0099_from_the_future", latest)
    assert digest(demo_db) == before


def test_older_schema_read_commands_refuse_and_upgrade_fixes(files: Path) -> None:
    old = files / "old.db"
    conn = sqlite3.connect(old)
    MIGRATIONS.apply(sqlite_utils_db(conn), stop_before=MIGRATIONS._migrations[-1].name)
    conn.close()
    before = digest(old)
    assert_one_line_error(cli("scores", "--db", str(old)), "older", "mtbench-review upgrade")
    assert digest(old) == before
    assert cli("upgrade", "--db", str(old)).returncode == 0
    assert cli("scores", "--db", str(old)).returncode == 0


def sqlite_utils_db(conn: sqlite3.Connection):  # type: ignore[no-untyped-def]
    """Wrap a connection for sqlite-utils' migrations."""
    import sqlite_utils

    return sqlite_utils.Database(conn)


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_read_commands_never_write(demo_db: Path, command: list[str]) -> None:
    before = digest(demo_db)
    result = cli(*command, "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    assert digest(demo_db) == before
    assert siblings(demo_db) == ["demo.db"]


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv to drop root")
def test_read_only_database_leaves_no_wal_behind(demo_db: Path) -> None:
    """A database its reader cannot write: read as it is, and no -wal/-shm left behind."""
    demo_db.chmod(0o444)
    demo_db.parent.chmod(0o755)
    before = digest(demo_db)
    for command in READ_COMMANDS:
        result = cli(*command, "--db", str(demo_db), as_nobody=os.geteuid() == 0)
        assert result.returncode == 0, result.stderr
    assert digest(demo_db) == before
    assert siblings(demo_db) == ["demo.db"]


def test_debug_shows_the_traceback_anywhere_on_the_line(files: Path) -> None:
    fake = files / "x.db"
    fake.write_text("nope")
    quiet = cli("scores", "--db", str(fake))
    assert_one_line_error(quiet, "not an mtbench-review database")
    for args in (
        ["--debug", "scores", "--db", str(fake)],
        ["scores", "--debug", "--db", str(fake)],
    ):
        loud = cli(*args, fresh=True)
        assert loud.returncode != 0 and "Traceback" in loud.stderr


def test_usage_errors_are_one_line() -> None:
    assert_one_line_error(cli("scores", "--no-such-option"), "--no-such-option", "--help")
    assert_one_line_error(cli("no-such-command"), "no-such-command")


def test_unexpected_errors_are_one_line_with_exit_70() -> None:
    from mtbench_tui.cli import describe_error

    message, code = describe_error(ZeroDivisionError("division by zero"))
    assert code == 70 and "internal error" in message and "--debug" in message
    assert describe_error(sqlite3.OperationalError("database is locked"))[1] == 2


def test_store_open_refuses_foreign_database_in_the_api(tmp_path: Path) -> None:
    from mtbench_tui.core.store.database import DatabaseRefused

    other = tmp_path / "invoices.db"
    foreign_database(other)
    with pytest.raises(DatabaseRefused, match="not an mtbench-review database"):
        Store.open(other)
    with pytest.raises(DatabaseRefused, match="not an mtbench-review database"):
        Store.open_readonly(other)


def test_answer_file_name_that_is_not_utf8(data: Path, demo_db: Path) -> None:
    """The model's name comes from the file name; bytes that aren't UTF-8 can't be stored."""
    odd = os.path.join(os.fsencode(data / "model_answer"), b"m\xff.jsonl")
    with open(odd, "wb") as out:
        out.write((data / "model_answer" / "orion-70b-chat.jsonl").read_bytes())
    before = digest(demo_db)
    result = cli("import", str(data), "--db", str(demo_db))
    assert_one_line_error(result, "file name is not valid UTF-8")
    assert digest(demo_db) == before


HOSTILE_NAME = "m\x1b]0;pwned\x07\u202eevil"
"""A file name that would retitle the terminal and reverse the text after it."""


def test_file_names_in_import_errors_are_inert(data: Path, demo_db: Path) -> None:
    bad = data / "model_answer" / f"{HOSTILE_NAME}.jsonl"
    bad.write_text("not json\n")
    result = cli("import", str(data), "--db", str(demo_db))
    assert_one_line_error(result, "broken JSON")
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\u202e" not in result.stderr
    assert "\\x1b]0;pwned\\x07" in result.stderr


def test_progress_bar_shows_file_names_inert(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from mtbench_tui.cli.progress import ImportProgressBar

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    with ImportProgressBar(console, threshold=1) as bar:
        bar.start_file(tmp_path / f"{HOSTILE_NAME}.jsonl", 100)
        bar.advance(50)
        bar.progress.refresh()
        bar.end_file()
    text = out.getvalue()
    assert "importing m" in text  # the bar was drawn
    assert "\x1b]0;" not in text and "\x07" not in text and "\u202e" not in text
