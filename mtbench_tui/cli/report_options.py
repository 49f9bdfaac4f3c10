"""Checks of the options `stats` and `export` share: the judge and the human pool exist."""

from __future__ import annotations

from mtbench_tui.cli.common import fail
from mtbench_tui.core.store import Store
from mtbench_tui.core.textsafe import visible_controls


def check_judge(store: Store, judge: str | None) -> None:
    """End the command when a judge was named that has no single or pairwise verdicts.

    Args:
        store: the database.
        judge: the judge asked for, if any.
    """
    if judge is None:
        return
    known = set(store.content.judge_labels())
    known |= {name for name, _n in store.analysis.pair_judge_counts()}
    if judge not in known:
        fail(f"no verdicts from judge {visible_controls(judge)!r}")


def check_humans(store: Store, group: str | None) -> None:
    """End the command when a reviewer group was named that has cast no pairwise vote.

    Args:
        store: the database.
        group: the group asked for, if any.
    """
    if group is None:
        return
    groups = store.votes.groups()
    if group not in groups:
        have = ", ".join(visible_controls(g) for g in groups) or "none"
        fail(
            f"no pairwise votes from reviewer group {visible_controls(group)!r}"
            f" (groups with votes: {have})"
        )
