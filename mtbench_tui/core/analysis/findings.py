"""Audit findings and CI gates of the statistics report, as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from mtbench_tui.core.analysis.numbers import Interval
from mtbench_tui.core.analysis.significance import Call


class Detail(NamedTuple):
    """An extra named number of an audit finding (kept in JSON ``details``)."""

    name: str
    value: int | float | str | tuple[int, ...] | None


@dataclass(frozen=True)
class GroupGap:
    """The judge - human gap in one group of a 'gap by' check."""

    group: str
    n: int
    n_questions: int
    effect: float | None
    ci: Interval
    status: Call

    @property
    def flag(self) -> bool:
        """True when the interval excludes 0 and enough questions stand behind it."""
        return self.status is Call.FLAGGED


@dataclass(frozen=True)
class AuditFinding:
    """One bias check: effect, interval, test, status and a plain-language message."""

    check: str
    title: str
    effect: float | None
    ci: Interval | None
    p_value: float | None
    status: Call
    n_questions: int
    """Distinct questions the interval rests on."""
    message: str
    details: tuple[Detail, ...] = ()
    groups: tuple[GroupGap, ...] = ()

    @property
    def flag(self) -> bool:
        """True when the finding is flagged (see ``significance``)."""
        return self.status is Call.FLAGGED


@dataclass(frozen=True)
class JudgeAudit:
    """Every audit finding for one judge."""

    judge: str
    findings: tuple[AuditFinding, ...]


@dataclass(frozen=True)
class NoVerdict:
    """Verdicts without a parseable rating, for one judge and prompt."""

    judge: str
    judge_model: str
    prompt: str
    n: int
    no_verdict: int
    rate: float | None
    ci: Interval | None
    flag: bool
    message: str


@dataclass(frozen=True)
class GateSpec:
    """A CI gate as asked for: ``--fail-under METRIC=VALUE`` or ``--fail-over``."""

    metric: str
    op: str
    """``under`` or ``over``."""
    threshold: float


@dataclass(frozen=True)
class Gate:
    """A gate evaluated against one judge's pooled row."""

    metric: str
    op: str
    """``fail-under`` or ``fail-over``."""
    threshold: float
    judge: str
    value: float | int | None
    passed: bool
