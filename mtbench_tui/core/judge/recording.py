"""Store one reply as a verdict: a single score, or one order of a pairwise comparison."""

from __future__ import annotations

from typing import NamedTuple

from mtbench_tui.core.judge.parsing import pair_winner, parse_verdict
from mtbench_tui.core.store import Store
from mtbench_tui.core.workitems import CachedResponse, Outcome, WorkItem

NO_PAIR_VERDICT = "no [[A]], [[B]] or [[C]] verdict"


class Recorded(NamedTuple):
    """What storing a reply found."""

    has_verdict: bool
    reason: str
    """Why there is no verdict ('' when there is one)."""
    comparison: str | None
    """For a pair order: the combined winner once both orders are in, else None."""


def record_reply(
    store: Store,
    item: WorkItem,
    response: CachedResponse,
    outcome: Outcome,
    run_id: int | None,
    *,
    strict: bool = False,
    origin: str = "judge-run",
    cache: bool = False,
) -> Recorded:
    """Parse a reply and store it with its usage row (and the reply in the cache) in one commit.

    Args:
        store: the store.
        item: the item the reply answers.
        response: the reply.
        outcome: how the request went.
        run_id: the run it belongs to.
        strict: ratings outside 1-10 count as no verdict (single answers).
        origin: judge-run or batch.
        cache: also cache the reply (it was just paid for).

    Returns:
        Whether it holds a verdict, and for pairs whether the comparison is complete.
    """
    to_cache = response if cache else None
    if item.pair is None:
        verdict = parse_verdict(response.content, strict=strict)
        store.judging.record_verdict(
            item, response.content, verdict.score, outcome, run_id, origin, to_cache
        )
        return Recorded(verdict.score is not None, verdict.reason or "", None)
    combined = store.judging.pairs.record_order(
        item, response.content, outcome, run_id, pair_winner, origin, to_cache
    )
    ok = pair_winner(response.content, item.order) != "error"
    return Recorded(ok, "" if ok else NO_PAIR_VERDICT, combined)
