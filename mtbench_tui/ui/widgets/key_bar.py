"""A footer that wraps onto a second line instead of hiding keys, so all keys show at 80 columns."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Static


class KeyBar(Static):
    """Lists the screen's shown bindings; each key is clickable and runs its action."""

    def on_mount(self) -> None:
        """Redraw whenever the screen's bindings change."""
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh_keys())
        self.refresh_keys()

    def on_resize(self, event: events.Resize) -> None:
        """Re-flow the keys for the new width."""
        self.refresh_keys()

    def refresh_keys(self) -> None:
        """Rebuild the key list from the active bindings."""
        parts: list[Content] = []
        seen: set[str] = set()
        for _key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            key = binding.key_display or self.app.get_key_display(binding)
            style = "$footer-key-foreground" if enabled else "$text-disabled"
            # Parametrised actions (score(1)) are keys to press, not things to click.
            click = "" if "(" in binding.action else f" @click=screen.{binding.action}"
            parts.append(
                Content.from_markup(
                    f"[bold {style}{click}]$key[/] [$footer-description-foreground]$desc[/]",
                    key=key,
                    desc=binding.description,
                )
            )
        parts.append(
            Content.from_markup(
                "[bold $footer-key-foreground @click=app.command_palette]^p[/] palette"
            )
        )
        self.update(self._flow(parts))

    def _flow(self, parts: list[Content]) -> Content:
        """Join the keys two spaces apart, breaking lines only between keys, never inside one."""
        width = (self.content_size.width or self.app.size.width - 2) or 80
        lines: list[list[Content]] = [[]]
        used = 0
        for part in parts:
            needed = part.cell_length + (2 if lines[-1] else 0)
            if lines[-1] and used + needed > width:
                lines.append([])
                used, needed = 0, part.cell_length
            lines[-1].append(part)
            used += needed
        return Content("\n").join(Content("  ").join(line) for line in lines)
