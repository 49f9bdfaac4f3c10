"""Opening a database never touches the file outside SQLite (which would drop its locks)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils
from sqlite_utils import plugins

from mtbench_tui.core.models import TurnKey
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.database import connect
from mtbench_tui.core.store.ratings import RatingRepo


def count_elsewhere(db: Path) -> int:
    """Ratings seen by a connection in another process, opened and closed there."""
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
        " print(c.execute('SELECT COUNT(*) FROM ratings').fetchone()[0]); c.close()"
    )
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True)
    return int(out.stdout)


def test_a_second_connection_keeps_the_first_ones_locks(demo_store: Store) -> None:
    """As the app does: a reading store, then a writer of its own, then other processes.

    Closing any descriptor of the database file drops all of this process's POSIX locks;
    another process then believes it is the last one and removes the WAL under us, and
    later commits vanish. Every write here must stay visible.
    """
    db = demo_store.path
    assert db is not None
    demo_store.content.counts()
    writer = RatingRepo(connect(db))
    writer.set_score(TurnKey(901, "orion-70b-chat", 1), "ann", 7)
    assert count_elsewhere(db) == 1
    writer.set_score(TurnKey(901, "orion-70b-chat", 2), "ann", 8)
    assert count_elsewhere(db) == 2
    reader = Store.open_readonly(db)
    writer.set_score(TurnKey(902, "orion-70b-chat", 1), "ann", 9)
    assert count_elsewhere(db) == 3
    reader.close()
    writer.db.close()


class _Hooking:
    """A sqlite-utils plugin, as any installed package may declare one."""

    @sqlite_utils.hookimpl
    def prepare_connection(self, conn: sqlite3.Connection) -> None:
        """Give every connection a function of its own."""
        conn.create_function("planted", 0, lambda: "from a plugin")


def test_no_sqlite_utils_plugin_reaches_our_connections(tmp_path: Path) -> None:
    plugin = _Hooking()
    plugins.pm.register(plugin)
    try:
        plain = sqlite_utils.Database(tmp_path / "plain.db")  # the library's default runs it
        assert plain.execute("SELECT planted()").fetchone()[0] == "from a plugin"
        store = Store.open(tmp_path / "ours.db")
        store.close()
        for db in (connect(tmp_path / "ours.db"), Store.open_readonly(tmp_path / "ours.db").db):
            with pytest.raises(sqlite3.OperationalError, match="no such function: planted"):
                db.execute("SELECT planted()")
            db.close()
    finally:
        plugins.pm.unregister(plugin)
