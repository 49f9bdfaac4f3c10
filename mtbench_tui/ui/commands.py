"""A command-palette provider that offers every key binding of the current screen by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from mtbench_tui.ui.screens.help import help_rows


class ScreenKeysProvider(Provider):
    """Each binding of the active screen becomes a command: 'undo (u)', 'score 7 (7)'..."""

    def _commands(self) -> list[tuple[str, str, str]]:
        """(title, help, action) for every binding with a description."""
        screen = self.screen
        described = dict(help_rows(screen))
        out = []
        for binding in getattr(screen, "BINDINGS", []):
            if not getattr(binding, "description", ""):
                continue
            title = binding.description
            if binding.action.startswith("score("):
                title = f"score {binding.action[6:-1]}"
            key = (
                binding.key_display
                if binding.key_display and not binding.action.startswith("score")
                else binding.key
            )
            out.append(
                (f"{title} ({key})", described.get(key, binding.description), binding.action)
            )
        return list({t: (t, h, a) for t, h, a in out}.values())

    async def discover(self) -> Hits:
        """List every key's command when the palette opens."""
        for title, help_text, action in self._commands():
            yield DiscoveryHit(title, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        """Fuzzy-match commands by name."""
        matcher = self.matcher(query)
        for title, help_text, action in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.screen.run_action, action),
                    help=help_text,
                )
