"""A Rich progress bar for imports, shown only for files big enough to wait on."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from mtbench_tui.core.textsafe import visible_controls

LARGE_FILE_BYTES = 2_000_000
"""Files smaller than this import in well under a second, so they get no bar."""


class ImportProgressBar:
    """Implements core.importer.ImportProgress with a Rich bar on stderr."""

    def __init__(self, console: Console, threshold: int = LARGE_FILE_BYTES) -> None:
        self.threshold = threshold
        self.progress = Progress(
            # File names are data: shown as plain text, never parsed as markup.
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.task: TaskID | None = None
        # Only a terminal gets a bar; started with the first large file, so that a
        # small import (or a failing one) prints nothing but its result.
        self.enabled = console.is_terminal
        self.started = False
        self.big = False
        """Whether any file was large enough for a bar (then the later steps show too)."""
        self.step_task: TaskID | None = None

    def __enter__(self) -> ImportProgressBar:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.started:
            self.progress.stop()

    def start_file(self, path: Path, total_bytes: int) -> None:
        """Show a bar when the file is large."""
        if self.enabled and total_bytes >= self.threshold:
            self.big = True
            self._start()
            name = visible_controls(path.name).replace("\n", "\\n")
            self.task = self.progress.add_task(f"importing {name}", total=total_bytes)

    def _start(self) -> None:
        """Start drawing (once)."""
        if not self.started:
            self.progress.start()
            self.started = True

    def step(self, description: str) -> None:
        """Show the current step of a large import (checking, merging) without a byte count."""
        if not self.big:
            return
        if self.step_task is None:
            self.step_task = self.progress.add_task(description, total=None)
        else:
            self.progress.update(self.step_task, description=description)

    def advance(self, nbytes: int) -> None:
        """Move the bar."""
        if self.task is not None:
            self.progress.advance(self.task, nbytes)

    def end_file(self) -> None:
        """Drop the finished file's bar."""
        if self.task is not None:
            self.progress.remove_task(self.task)
            self.task = None
