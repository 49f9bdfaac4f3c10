"""Helpers for driving the app through Pilot and reading what it shows."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot

from mtbench_tui.core.store import QueueFilter, Store
from mtbench_tui.ui.app import ReviewApp, make_app


def build(
    store: Store, reviewer: str = "alice", blind: bool = False, **filters: object
) -> ReviewApp:
    """The app exactly as the CLI builds it."""
    return make_app(store, reviewer=reviewer, queue_filter=QueueFilter(**filters), blind=blind)


def screen_text(app: App) -> str:
    """Every character on screen, one line per row, as the terminal would show it."""
    strips = app.screen._compositor.render_strips()  # noqa: SLF001 - test-only peek at the composed screen
    return "\n".join(strip.text for strip in strips)


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
    """The text of every notification the app has raised and not yet expired."""
    return "\n".join(n.message for n in app._notifications)  # noqa: SLF001 - Textual keeps no public list
