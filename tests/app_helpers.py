"""Helpers for driving the app through Pilot and reading what it shows, through public APIs only."""

from __future__ import annotations

import html
import re

from textual.app import App
from textual.pilot import Pilot

from mtbench_tui.core.store import QueueFilter, Store
from mtbench_tui.ui.app import ReviewApp, make_app

_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+"'
    r' clip-path="url\(#[\w-]*?line-(\d+)\)">([^<]*)</text>'
)
_CELL_WIDTH = 12.2
"""Width of one terminal cell in Rich's SVG export."""


def build(
    store: Store,
    reviewer: str = "alice",
    blind: bool = False,
    judge: str | None = None,
    **filters: object,
) -> ReviewApp:
    """The app exactly as the CLI builds it, with its notifications recorded for ``notices``."""
    app = make_app(
        store, reviewer=reviewer, queue_filter=QueueFilter(**filters), blind=blind, judge=judge
    )
    record_notices(app)
    return app


def record_notices(app: App) -> list[str]:
    """Record every notification the app raises (widgets' notify goes through ``App.notify``)."""
    messages: list[str] = []
    notify = app.notify

    def recording(message: str, **kwargs: object) -> None:
        messages.append(message)
        notify(message, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    app.recorded_notices = messages  # type: ignore[attr-defined]
    return messages


def screen_text(app: App) -> str:
    """Every character on screen, one line per row, read from the app's public SVG screenshot."""
    width, height = app.size
    grid = [[" "] * width for _ in range(height)]
    for x, line, text in _TEXT.findall(app.export_screenshot()):
        row, col = int(line), round(float(x) / _CELL_WIDTH) - 1
        for offset, char in enumerate(html.unescape(text).replace("\xa0", " ").rstrip("\n")):
            if row < height and 0 <= col + offset < width:
                grid[row][col + offset] = char
    return "\n".join("".join(row) for row in grid)


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys one at a time, letting the app settle after each (as a person would)."""
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def review(app: App):
    """The review screen."""
    from mtbench_tui.ui.screens.review import ReviewScreen

    for screen in app.screen_stack:
        if isinstance(screen, ReviewScreen):
            return screen
    raise AssertionError("no review screen")


def notices(app: App) -> str:
    """The text of every notification the app has raised (``build`` records them)."""
    recorded = getattr(app, "recorded_notices", None)
    if recorded is None:  # an app not made by build(): Textual keeps no public list
        return "\n".join(n.message for n in app._notifications)  # noqa: SLF001
    return "\n".join(recorded)
