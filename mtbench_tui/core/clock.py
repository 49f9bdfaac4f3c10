"""Timestamps, in one format everywhere: ISO 8601 UTC with milliseconds."""

from __future__ import annotations

import os
from datetime import datetime, timezone


def now_iso() -> str:
    """The current UTC time, e.g. ``2026-11-28T11:12:30.123Z``."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def report_time() -> str:
    """The time to stamp on a report; honours SOURCE_DATE_EPOCH so reports can be reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        moment = datetime.fromtimestamp(int(epoch), timezone.utc)
        return moment.isoformat(timespec="seconds").replace("+00:00", "Z")
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
