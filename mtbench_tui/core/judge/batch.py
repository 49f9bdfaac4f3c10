"""OpenAI Batch API mode: submit every request as one JSONL file at half price, collect later."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mtbench_tui.core.judge.client import Redactor, content_and_usage, make_client
from mtbench_tui.core.judge.job_types import BatchSubmitted
from mtbench_tui.core.judge.pricing import PriceTable
from mtbench_tui.core.judge.recording import record_reply
from mtbench_tui.core.judge.runtypes import RunConfig, api_key
from mtbench_tui.core.store import Store
from mtbench_tui.core.workitems import CachedResponse, Outcome, WorkItem

ENDPOINT: Literal["/v1/chat/completions"] = "/v1/chat/completions"
FINISHED = ("completed", "failed", "expired", "cancelled")


def batch_lines(items: list[WorkItem], run_id: int) -> list[tuple[str, dict[str, Any]]]:
    """(custom_id, Batch API request line) for each item.

    Args:
        items: the requests.
        run_id: the run submitting them (part of each custom_id).

    Returns:
        One line per item.
    """
    return [
        (
            f"mtr-{run_id}-{i}",
            {
                "custom_id": f"mtr-{run_id}-{i}",
                "method": "POST",
                "url": ENDPOINT,
                "body": item.request,
            },
        )
        for i, item in enumerate(items)
    ]


async def submit(
    store: Store, items: list[WorkItem], config: RunConfig, run_id: int, folder: Path
) -> BatchSubmitted:
    """Write the JSONL (kept in ``folder``), upload it, create the batch; remember it.

    Args:
        store: the store.
        items: the requests.
        config: the judge and endpoint.
        run_id: the submitting run.
        folder: where the request file is kept.

    Returns:
        The batch's ids and file.
    """
    lines = batch_lines(items, run_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"batch-run-{run_id}.jsonl"
    payload = "".join(json.dumps(line, ensure_ascii=False) + "\n" for _cid, line in lines)
    path.write_text(payload, encoding="utf-8")
    client = make_client(config.base_url, api_key(config), config.timeout, 4)
    try:
        uploaded = await client.files.create(
            file=(path.name, payload.encode("utf-8")), purpose="batch"
        )
        batch = await client.batches.create(
            input_file_id=uploaded.id,
            endpoint=ENDPOINT,
            completion_window="24h",
            metadata={"tool": "mtbench-review", "run": str(run_id)},
        )
    finally:
        await client.close()
    store.judging.batches.create(
        batch.id, uploaded.id, run_id, [(cid, item) for (cid, _l), item in zip(lines, items)]
    )
    return BatchSubmitted(batch.id, uploaded.id, len(items), str(path), batch.status)


@dataclass(frozen=True)
class Collected:
    """What --collect found for one batch."""

    batch_id: str
    status: str
    ok: int = 0
    no_verdict: int = 0
    failed: int = 0
    cost_usd: float = 0.0
    notes: tuple[str, ...] = ()


@dataclass
class _Tally:
    """Counts while one batch's results are stored."""

    ok: int = 0
    no_verdict: int = 0
    failed: int = 0
    cost_usd: float = 0.0
    notes: list[str] = field(default_factory=list)


async def collect(store: Store, config: RunConfig, prices: PriceTable) -> list[Collected]:
    """Poll every uncollected batch; import the results of finished ones.

    Args:
        store: the store.
        config: the judge and endpoint.
        prices: for the cost of each reply (at batch prices).

    Returns:
        One entry per batch polled.
    """
    key = api_key(config)
    client = make_client(config.base_url, key, config.timeout, 4)
    redact = Redactor(key)
    out = []
    try:
        for ref, batch_id, run_id in store.judging.batches.pending():
            batch = await client.batches.retrieve(batch_id)
            tally = _Tally()
            if batch.status in FINISHED:
                items = store.judging.batches.items(ref)
                for file_id in (batch.output_file_id, batch.error_file_id):
                    if file_id:
                        text = (await client.files.content(file_id)).text
                        _import_output(store, text, items, prices, run_id, redact, tally)
                for item in items.values():  # whatever the files did not mention failed
                    reason = f"batch {batch.status} without a result for this request"
                    store.judging.record_failure(item, Outcome("failed", 1, error=reason), run_id)
                    tally.failed += 1
                store.judging.batches.mark(ref, batch.status, collected=True)
            else:
                counts = batch.request_counts
                done = f"{counts.completed}/{counts.total} done" if counts else "in progress"
                tally.notes.append(done)
                store.judging.batches.mark(ref, batch.status, collected=False)
            out.append(
                Collected(
                    batch_id,
                    batch.status,
                    tally.ok,
                    tally.no_verdict,
                    tally.failed,
                    tally.cost_usd,
                    tuple(tally.notes),
                )
            )
    finally:
        await client.close()
    return out


def _import_output(
    store: Store,
    text: str,
    items: dict[str, WorkItem],
    prices: PriceTable,
    run_id: int | None,
    redact: Redactor,
    tally: _Tally,
) -> None:
    """Store each result line (removing it from ``items``); errors become failures."""
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        row = json.loads(line)
        item = items.pop(row.get("custom_id", ""), None)
        if item is None:
            tally.notes.append(f"unknown custom_id {row.get('custom_id')!r} ignored")
            continue
        response = row.get("response") or {}
        body = response.get("body") or {}
        content, usage = content_and_usage(body) if isinstance(body, dict) else (None, {})
        if response.get("status_code") != 200 or not content or not content.strip():
            error = row.get("error") or body.get("error") or "empty response"
            reason = redact(json.dumps(error)[:300])
            store.judging.record_failure(
                item, Outcome("failed", 1, error=f"batch: {reason}"), run_id
            )
            tally.failed += 1
            continue
        reply = CachedResponse(content, usage.get("prompt_tokens"), usage.get("completion_tokens"))
        cost = prices.cost(
            item.judge_model, reply.prompt_tokens, reply.completion_tokens, batch=True
        )
        outcome = Outcome("ok", 1, reply.prompt_tokens, reply.completion_tokens, cost)
        recorded = record_reply(store, item, reply, outcome, run_id, origin="batch", cache=True)
        tally.cost_usd += cost or 0.0
        if recorded.has_verdict:
            tally.ok += 1
        else:
            tally.no_verdict += 1
