"""Command palette providers: every key of the current screen by name, and the judge to compare."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import NamedTuple, Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from mtbench_tui.core.review import ReviewSession
from mtbench_tui.ui.text import literal_content, palette_help


class Command(NamedTuple):
    """A palette entry: its title, the sentence under it, and what it runs."""

    title: str
    help: str
    run: Callable[[], object]


@runtime_checkable
class ComparingApp(Protocol):
    """An app with a review session whose judge can be switched (ReviewApp)."""

    session: ReviewSession | None

    def compare_with(self, judge: str) -> None:
        """Compare against ``judge`` from now on."""


class ScreenKeysProvider(Provider):
    """Each key of the active screen and app becomes a command: 'undo (u)', 'score 7 (7)'..."""

    def commands(self) -> list[Command]:
        """One command per action, with the binding's sentence as its help."""
        out: dict[str, Command] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in out:
                continue
            title = binding.description
            if binding.action.startswith("score("):
                title = f"score {binding.action[6:-1]}"
                shown = key
            else:
                shown = binding.key_display or self.app.get_key_display(binding)
            run = partial(self.app.run_action, binding.action, active.node)
            out[binding.action] = Command(
                f"{title} ({shown})", binding.tooltip or binding.description, run
            )
        return list(out.values())

    async def discover(self) -> Hits:
        """List every key's command when the palette opens."""
        for command in self.commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        """Fuzzy-match commands by name."""
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)


class JudgeProvider(Provider):
    """'compare against JUDGE' for every judge in the database (the app's explicit judge choice)."""

    def commands(self) -> list[Command]:
        """One command per judge other than the current one."""
        app = self.app
        if not isinstance(app, ComparingApp) or app.session is None:
            return []
        session, compare = app.session, app.compare_with
        current = session.judge
        return [
            Command(
                f"compare against {judge}",
                f"Show {judge}'s verdicts ({count} of them) beside your scores from now on.",
                partial(compare, judge),
            )
            for judge, count in session.store.content.judges()
            if judge != current
        ]

    async def discover(self) -> Hits:
        """List the judges when the palette opens."""
        for command in self.commands():
            yield DiscoveryHit(
                literal_content(command.title), command.run, help=palette_help(command.help)
            )

    async def search(self, query: str) -> Hits:
        """Fuzzy-match judges by name."""
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    literal_content(command.title),
                    command.run,
                    help=palette_help(command.help),
                )
