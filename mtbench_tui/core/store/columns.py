"""A query's rows as numpy columns, a page at a time, with each page gathered inside SQLite.

Fetching 100k joined rows as Python tuples held the interpreter lock for every row, so
nothing else in the process could run while the statistics read their pairs. Here SQLite
concatenates each page's column into one string (``group_concat`` for numbers,
``json_group_array`` for text, which any text survives) while the lock is free, and numpy,
``float`` and the json module parse those strings in C. Pages follow the key (keyset
pagination), so a page holds at most ``page_size`` rows however large the table grows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import sqlite_utils

Kind = Literal["int", "float", "text"]


@dataclass(frozen=True)
class Column:
    """One column to read: an SQL expression and what it holds (never NULL for int/text)."""

    expr: str
    kind: Kind


@dataclass(frozen=True)
class Codes:
    """A text column as codes into its distinct values, sorted as SQLite sorts text."""

    values: tuple[str, ...]
    codes: np.ndarray


Page = list[Any]
"""Per column: an int64 or float64 array (NULL as NaN), or ``Codes`` for text."""


def column_pages(
    db: sqlite_utils.Database,
    source: str,
    columns: Sequence[Column],
    key: int,
    params: Mapping[str, Any],
    page_size: int = 50_000,
    aggregate: bool | None = None,
) -> Iterator[Page]:
    """The rows of ``SELECT <columns> <source>`` in key order, as column pages.

    Args:
        db: the database.
        source: ``FROM ... WHERE ...`` (with a WHERE clause); parameters by name.
        columns: what to read; the first ``key`` of them are a unique key, which an index
            serves in order.
        key: how many leading columns form the key.
        params: the source's parameters.
        page_size: most rows per page.
        aggregate: gather pages inside SQLite (default: when it has JSON functions).

    Returns:
        The pages, each sorted by the key; one empty page when there are no rows.
    """
    if aggregate is None:
        aggregate = has_json(db.conn)
    if not aggregate:
        yield from _row_pages(db, source, columns, key, params, page_size)
        return
    after: tuple[Any, ...] | None = None
    while True:
        sql = _page_sql(source, columns, key, after is not None)
        bound = {**params, "_limit": page_size}
        if after is not None:
            bound.update({f"_k{i}": v for i, v in enumerate(after)})
        row = db.execute(sql, bound).fetchone()
        count = int(row[0])
        if count == 0:
            if after is None:
                yield [_parse(None, c.kind, 0) for c in columns]
            return
        page = _sorted([_parse(text, c.kind, count) for text, c in zip(row[1:], columns)], key)
        yield page
        if count < page_size:
            return
        after = tuple(_last(column) for column in page[:key])


def has_json(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite has its JSON functions (built in since 3.38, optional before)."""
    try:
        conn.execute("SELECT json_group_array(1)").fetchone()
    except sqlite3.OperationalError:
        return False
    return True


def _page_sql(source: str, columns: Sequence[Column], key: int, after: bool) -> str:
    """One page's rows (in key order), each column gathered into one text value."""
    keys = ", ".join(c.expr for c in columns[:key])
    start = f" AND ({keys}) > ({', '.join(f':_k{i}' for i in range(key))})" if after else ""
    inner = ", ".join(f"{c.expr} AS c{i}" for i, c in enumerate(columns))
    gathered = ", ".join(_gather(f"c{i}", c.kind) for i, c in enumerate(columns))
    return (
        f"SELECT COUNT(*), {gathered} FROM"
        f" (SELECT {inner} {source}{start} ORDER BY {keys} LIMIT :_limit)"
    )


def _gather(name: str, kind: Kind) -> str:
    """The aggregate that turns a column into one text value."""
    if kind == "text":
        return f"json_group_array({name})"
    if kind == "int":
        return f"group_concat({name})"
    # 18 significant digits: SQLite (3.40) works its digits out in long double, and at 17
    # one real in 400 of the whole range came back a unit off (1.7976931348623157e308 did);
    # at 18, none of 400k did. NULL must keep its place.
    return f"group_concat(CASE WHEN {name} IS NULL THEN 'nan' ELSE printf('%!.18g', {name}) END)"


def _parse(text: str | None, kind: Kind, count: int) -> Any:
    """A gathered column back as an array (``Codes`` for text), checked for its length."""
    if kind == "text":
        return _codes(json.loads(text or "[]"), count)
    dtype = np.int64 if kind == "int" else np.float64
    if not count:
        return np.zeros(0, dtype=dtype)
    if kind == "int":
        values = np.fromstring(text or "", dtype=dtype, sep=",")
    else:
        # Not np.fromstring: it takes the GIL back for every number it parses, and beside
        # an import (which rarely lets go) 100k reals took 0.5 s instead of 20 ms.
        values = np.fromiter(map(float, (text or "").split(",")), dtype, count)
    if values.size != count:
        raise ValueError(f"read {values.size} of {count} values of a {kind} column")
    return values


def _codes(values: list[Any], count: int) -> Codes:
    """Text values coded among their distinct values, sorted.

    Every loop over the values runs in C (no bytecode per value): beside a thread that
    runs Python, such as an import, a Python loop gave up the GIL every few milliseconds
    and waited as long to get it back.
    """
    if len(values) != count:
        raise ValueError(f"read {len(values)} of {count} values of a text column")
    names = sorted(dict.fromkeys(values))  # Python orders str by code point, as SQLite's BINARY
    index = dict(zip(names, range(len(names))))
    return Codes(tuple(names), np.fromiter(map(index.__getitem__, values), np.int64, count))


def _sorted(page: Page, key: int) -> Page:
    """The page in key order (SQLite gives no order promise for an aggregate's input)."""
    parts = [c.codes if isinstance(c, Codes) else c for c in page[:key]]
    order = np.lexsort(parts[::-1])
    if np.array_equal(order, np.arange(order.size)):
        return page
    return [Codes(c.values, c.codes[order]) if isinstance(c, Codes) else c[order] for c in page]


def _last(column: Any) -> Any:
    """The value in a column's last row, as SQLite compares it."""
    if isinstance(column, Codes):
        return column.values[int(column.codes[-1])]
    return column[-1].item()


def _row_pages(
    db: sqlite_utils.Database,
    source: str,
    columns: Sequence[Column],
    key: int,
    params: Mapping[str, Any],
    page_size: int,
) -> Iterator[Page]:
    """The same pages from row tuples (an SQLite without JSON functions)."""
    keys = ", ".join(c.expr for c in columns[:key])
    exprs = ", ".join(c.expr for c in columns)
    cursor = db.execute(f"SELECT {exprs} {source} ORDER BY {keys}", dict(params))
    first = True
    while (rows := cursor.fetchmany(page_size)) or first:
        first = False
        values = list(zip(*rows)) if rows else [()] * len(columns)
        yield [_from_rows(v, c.kind) for v, c in zip(values, columns)]


def _from_rows(values: tuple[Any, ...], kind: Kind) -> Any:
    """One column of fetched rows as ``_parse`` gives it."""
    if kind == "text":
        return _codes(list(values), len(values))
    return np.asarray(values, dtype=np.int64 if kind == "int" else np.float64)
