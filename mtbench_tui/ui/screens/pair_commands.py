"""Command-palette entries of pair review: the pair judge to compare votes against."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from mtbench_tui.ui.commands import Command
from mtbench_tui.ui.text import literal_content, palette_help


class PairJudgeProvider(Provider):
    """'compare votes with JUDGE' for every other pair judge, while pair review is shown."""

    def commands(self) -> list[Command]:
        """One command per pair judge other than the current one."""
        from mtbench_tui.ui.screens.pair_review import PairReviewScreen

        screen = self.screen
        if not isinstance(screen, PairReviewScreen):
            return []
        session = screen.session
        return [
            Command(
                f"compare votes with {judge}",
                f"Show {judge}'s pair verdicts ({count} of them) beside your votes from now on.",
                partial(screen.compare_with, judge),
            )
            for judge, count in session.store.votes.pair_judges()
            if judge != session.judge
        ]

    async def discover(self) -> Hits:
        """List the pair judges when the palette opens."""
        for command in self.commands():
            yield DiscoveryHit(
                literal_content(command.title),
                command.run,
                help=palette_help(command.help),
            )

    async def search(self, query: str) -> Hits:
        """Fuzzy-match pair judges by name."""
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
