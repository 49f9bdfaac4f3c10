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

LARGE_FILE_BYTES = 2_000_000
"""Files smaller than this import in well under a second, so they get no bar."""


class ImportProgressBar:
    """Implements core.importer.ImportProgress with a Rich bar on stderr."""

    def __init__(self, console: Console, threshold: int = LARGE_FILE_BYTES) -> None:
        self.threshold = threshold
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> ImportProgressBar:
        self.progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.progress.stop()

    def start_file(self, path: Path, total_bytes: int) -> None:
        """Show a bar when the file is large."""
        if total_bytes >= self.threshold:
            self.task = self.progress.add_task(f"importing {path.name}", total=total_bytes)

    def advance(self, nbytes: int) -> None:
        """Move the bar."""
        if self.task is not None:
            self.progress.advance(self.task, nbytes)

    def end_file(self) -> None:
        """Drop the finished file's bar."""
        if self.task is not None:
            self.progress.remove_task(self.task)
            self.task = None
