"""What the j key says in both review modes: the re-judge's status line, and its progress,
lock waits and errors as notifications."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.widget import Widget

from mtbench_tui.core.judge.runtypes import Event
from mtbench_tui.ui.text import say

Severity = Literal["information", "warning", "error"]

NO_JUDGE = (
    "No judge configured: start with --judge-model NAME (and --base-url for a local"
    " server); the key comes from $OPENAI_API_KEY."
)
LOCKED = (
    "The database is locked by another program. The re-judge waits and saves its verdicts"
    " when the lock is released; nothing is lost, and you can keep reviewing."
)


@dataclass(frozen=True)
class Rejudging:
    """One re-judge in progress: what it is about and which judge model answers."""

    what: str
    """For example ``Q81 turn 1-2`` (never a model name hidden from the reviewer)."""
    model: str

    def running(self) -> str:
        """The status line while requests are out."""
        return f"re-judging {self.what} with {self.model}…"

    def waiting(self) -> str:
        """The status line while a write waits for another program's lock."""
        return f"waiting for the locked database to save the re-judge of {self.what}…"

    def notice(
        self, event: Event, label: str | None = None, *, each_reply: bool = True
    ) -> tuple[str, Severity] | None:
        """The notification for a progress event (None for lock events: the status says it).

        Args:
            event: from the core job.
            label: replaces the event's own label (it names models, which may be hidden).
            each_reply: also announce each reply with a verdict (else only problems).

        Returns:
            The message and its severity, or None.
        """
        name = label or event.label
        if event.kind in ("locked", "unlocked"):
            return None
        if event.kind == "failed":
            return f"{name}: {event.detail}", "error"
        if event.kind == "retry":
            return f"{name}: retrying ({event.detail})", "warning"
        if not each_reply and event.kind != "no_verdict":
            return None
        detail = f" ({event.detail})" if event.detail else ""
        return f"{name}: new verdict{detail}", "information"


def show_event(
    node: Widget,
    job: Rejudging,
    status: str,
    event: Event,
    label: str | None = None,
    *,
    each_reply: bool = True,
) -> str:
    """Notify the reviewer of a re-judge event and return the status line to show next.

    Args:
        node: the screen that notifies.
        job: the re-judge.
        status: the status line shown now.
        event: from the core job.
        label: replaces the event's label in messages (it names models, which may be hidden).
        each_reply: also announce each reply with a verdict (else only problems).

    Returns:
        The waiting line while a write waits for a lock, else the running line.
    """
    if event.kind == "locked":
        if status != job.waiting():
            say(node, LOCKED, severity="warning", timeout=10)
        return job.waiting()
    notice = job.notice(event, label, each_reply=each_reply)
    if notice is not None:
        text, severity = notice
        say(node, text, severity=severity, timeout=10 if severity == "error" else None)
    return job.running()
