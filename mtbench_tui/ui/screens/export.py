"""The export dialog: pick a format and a path; a worker exports and shows its progress."""

from __future__ import annotations

from pathlib import Path
from weakref import WeakKeyDictionary

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select

from mtbench_tui.core.report.export import EXTENSIONS, ExportOptions, ExportResult, export_report
from mtbench_tui.core.store import Store
from mtbench_tui.core.textsafe import visible_controls
from mtbench_tui.ui.text import literal

FORMAT_NAMES = {
    "md": "Markdown report",
    "html": "HTML report (offline, with charts)",
    "json": "JSON (stats + metadata)",
    "csv": "CSV of every rating",
    "fastchat": "FastChat JSONL of human ratings",
    "votes-csv": "CSV of every pairwise vote",
    "votes-fastchat": "FastChat pair JSONL of pairwise votes",
}
"""Choices in the dialog: each export format, and the row formats again for votes."""

ENDINGS = {**EXTENSIONS, "votes-csv": "-votes.csv", "votes-fastchat": "_pair.jsonl"}
"""How a suggested file name ends for each choice (import reads *_pair.jsonl as votes)."""


def choice_format(choice: str) -> tuple[str, bool]:
    """The export format of a dialog choice, and whether it exports votes.

    Args:
        choice: a FORMAT_NAMES key.

    Returns:
        (format, votes).
    """
    return choice.removeprefix("votes-"), choice.startswith("votes-")


def suggested_path(current: Path, choice: str) -> Path:
    """``current`` with the file name ending the choice wants.

    Args:
        current: the path in the dialog.
        choice: the chosen FORMAT_NAMES key.

    Returns:
        The new path.
    """
    name = current.name
    for ending in sorted(ENDINGS.values(), key=len, reverse=True):
        if name.endswith(ending):
            name = name[: -len(ending)]
            break
    return current.with_name(name + ENDINGS[choice])


DEFAULT_NAME = "mtbench-report"
"""The file name the dialog suggests, in the current directory (never inside a checkout's tree)."""

_last: WeakKeyDictionary[App[object], tuple[str, Path]] = WeakKeyDictionary()
"""Per running app: the format and path of the last export, offered again next time."""


class ExportDialog(ModalScreen[ExportResult | None]):
    """Export the report or the ratings to a file."""

    BINDINGS = [
        Binding("escape", "close", "close"),
        Binding("ctrl+s", "export", "export", priority=True),
    ]

    def __init__(self, store: Store, directory: Path | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.store = store
        self.directory = directory or Path.cwd()

    def _initial(self) -> tuple[str, Path]:
        """The last format and path used in this app, else HTML in the current directory."""
        default = ("html", self.directory / f"{DEFAULT_NAME}{EXTENSIONS['html']}")
        return _last.get(self.app, default)

    def compose(self) -> ComposeResult:
        fmt, path = self._initial()
        with Vertical(classes="dialog export-dialog"):
            yield Label("Export", classes="dialog-title")
            yield Select(
                [(name, choice) for choice, name in FORMAT_NAMES.items()],
                value=fmt,
                allow_blank=False,
                id="format",
                compact=True,
            )
            yield Label("File")
            yield Input(str(path), id="path", compact=True)
            yield ProgressBar(total=1.0, show_eta=False, id="progress")
            yield Label("", id="export-status")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export", compact=True)
                yield Button("Close", id="close", compact=True)
            yield Label("Ctrl+S exports · Esc closes", classes="dialog-help")

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        """Keep the file extension in step with the format."""
        path_input = self.query_one("#path", Input)
        path_input.value = str(suggested_path(Path(path_input.value), str(event.value)))

    def action_export(self) -> None:
        """Start the export."""
        fmt = str(self.query_one("#format", Select).value)
        path = Path(self.query_one("#path", Input).value).expanduser()
        _last[self.app] = (fmt, path)
        self.query_one("#export", Button).disabled = True
        self._status(f"Exporting {fmt}…")
        self._run(fmt, path)

    @work(thread=True, exclusive=True, group="export")
    def _run(self, choice: str, path: Path) -> None:
        """Write the file on a second connection, reporting progress to the bar."""
        fmt, votes = choice_format(choice)
        store = self.store.reopen()
        try:
            result = export_report(
                store,
                fmt,
                path,
                ExportOptions(votes=votes),
                progress=lambda what, done: self.app.call_from_thread(self._progress, what, done),
            )
        except Exception as exc:  # noqa: BLE001 - shown to the user, who can fix the path and retry
            self.app.call_from_thread(self._failed, exc)
        else:
            self.app.call_from_thread(self._done, result)
        finally:
            store.close()

    def _progress(self, what: str, done: float) -> None:
        """Move the bar."""
        self.query_one(ProgressBar).update(progress=done)
        self._status(what)

    def _done(self, result: ExportResult) -> None:
        """Say where the file went."""
        rows = f", {result.rows} rows" if result.rows is not None else ""
        self._status(f"Wrote {result.path} ({result.bytes:,} bytes{rows})")
        self.query_one("#export", Button).disabled = False
        self.notify(
            f"Exported {result.format} to {visible_controls(str(result.path))}", markup=False
        )

    def _failed(self, exc: Exception) -> None:
        """Show the error; the dialog stays open so the path can be fixed."""
        reason = visible_controls(str(exc))
        self._status(f"Export failed: {reason}")
        self.query_one("#export", Button).disabled = False
        self.notify(f"Export failed: {reason}", severity="error", markup=False)

    def _status(self, text: str) -> None:
        """Update the status line."""
        self.query_one("#export-status", Label).update(literal(text))

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)

    @on(Button.Pressed, "#export")
    def _export_pressed(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.dismiss(None)
