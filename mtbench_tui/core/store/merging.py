"""The statements of an import's merge: staged rows into the main database, in one transaction."""

from __future__ import annotations

import sqlite3

from mtbench_tui.core.store.staging import StagedTable, cols
from mtbench_tui.core.store.tables import ReviewedSpec, TableSpec, oriented


def merge_content(conn: sqlite3.Connection, staged: StagedTable, answers: str | None) -> None:
    """New rows are inserted; changed rows are rewritten by rowid.

    A pair verdict goes in as it was first read (its staged copy has model_1 < model_2),
    and a stored one keeps its orientation when rewritten.

    Args:
        conn: the store's connection, inside the merge transaction.
        staged: the staged table.
        answers: the staged model answers, which answers from conversations never replace.
    """
    spec = staged.spec
    hashed = ("content_hash",) if spec.hashed else ()
    values = ", ".join(oriented(spec, "s", "s.flipped")) + (", ''" if spec.hashed else "")
    where = "s.main_id IS NULL"
    if spec.adds_only and answers is not None:
        where += f" AND NOT EXISTS (SELECT 1 FROM {answers} a WHERE {key_match(spec, 'a', 's')})"
    sets = ", ".join(f"{c} = excluded.{c}" for c in (*spec.columns, *hashed))
    # ON CONFLICT: another import may have added the same key since the rows were classified.
    upsert = "DO NOTHING" if spec.adds_only else f"DO UPDATE SET {sets}"
    conn.execute(
        f"INSERT INTO main.{spec.name} ({cols(spec.all_columns)})"
        f" SELECT {values} FROM {staged.name} AS s WHERE {where}"
        f" ON CONFLICT ({cols(spec.key)}) {upsert}"
    )
    if staged.replaces == 0 or spec.adds_only:
        return  # the usual case; saves scanning every staged row inside the lock
    target = oriented(spec, "s", f"{spec.name}.model_1 > {spec.name}.model_2")
    rewrite = ", ".join(f"{c} = {v}" for c, v in zip(spec.data_columns, target))
    rewrite += ", content_hash = ''" if spec.hashed else ""
    conn.execute(
        f"UPDATE main.{spec.name} SET {rewrite} FROM {staged.name} AS s"
        f" WHERE s.state = 2 AND s.main_id = {spec.name}.rowid"
    )


def key_match(spec: TableSpec, left: str, right: str) -> str:
    """SQL: the two rows have the same key."""
    return " AND ".join(f"{left}.{c} = {right}.{c}" for c in spec.key)


def merge_reviewed(
    conn: sqlite3.Connection, staged: StagedTable, reviewed: ReviewedSpec, now: str
) -> None:
    """The united history first, then the rows where the import's is the later one."""
    spec = staged.spec
    history = reviewed.history
    if history is not None:
        conn.execute(
            f"INSERT INTO main.{history.name} ({cols(history.columns)})"
            f" SELECT {cols(history.columns)} FROM stg.h_{history.name} WHERE novel ORDER BY seq"
        )
    plain = [c for c in spec.data_columns if c not in ("created", "updated")]
    sets = ", ".join(f"{c} = excluded.{c}" for c in reviewed.written)
    ours, theirs = cols(reviewed.compare), cols(reviewed.compare, "excluded")
    # The WHERE repeats the merge rule, in case a reviewer wrote since the rows were classified.
    conn.execute(
        f"INSERT INTO main.{spec.name} ({cols(plain)}, created, updated)"
        f" SELECT {cols(plain)}, coalesce(created, ?), coalesce(updated, ?) FROM {staged.name}"
        f" WHERE main_id IS NULL OR state = 2"
        f" ON CONFLICT ({cols(spec.key)}) DO UPDATE SET {sets}"
        f" WHERE excluded.updated >= {spec.name}.updated AND ({ours}) IS NOT ({theirs})",
        [now, now],
    )


def empty_table_stats(conn: sqlite3.Connection) -> list[tuple[str, str | None, str]]:
    """sqlite_stat1 rows saying "one row" for each index of each table ANALYZE left out."""
    rows: list[tuple[str, str | None, str]] = []
    tables = conn.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT IN (SELECT tbl FROM main.sqlite_stat1)"
    ).fetchall()
    for (table,) in tables:
        indexes = conn.execute(f"SELECT name FROM pragma_index_list('{table}')").fetchall()
        for (index,) in indexes:
            width = conn.execute(f"SELECT COUNT(*) FROM pragma_index_info('{index}')").fetchone()[0]
            rows.append((table, index, " ".join(["1"] * (width + 1))))
        if not indexes:
            rows.append((table, None, "1"))
    return rows
