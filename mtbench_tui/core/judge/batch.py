"""OpenAI Batch API mode: submit every request as one JSONL file at half price, collect the results later."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtbench_tui.core.judge.client import Redactor, content_and_usage, make_client
from mtbench_tui.core.judge.parsing import parse_verdict
from mtbench_tui.core.judge.pricing import PriceTable
from mtbench_tui.core.judge.runner import RunConfig, api_key
from mtbench_tui.core.judge.work import WorkItem
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.judging import CachedResponse, Outcome

ENDPOINT = "/v1/chat/completions"
FINISHED = ("completed", "failed", "expired", "cancelled")


def batch_lines(items: list[WorkItem], run_id: int) -> list[tuple[str, dict[str, Any]]]:
    """(custom_id, Batch API request line) for each item."""
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
) -> dict[str, Any]:
    """Write the JSONL (kept in ``folder``), upload it and create the batch; remember it for --collect."""
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
    store.judging.create_batch(
        batch.id, uploaded.id, run_id, [(cid, item) for (cid, _l), item in zip(lines, items)]
    )
    return {
        "batch_id": batch.id,
        "input_file_id": uploaded.id,
        "requests": len(items),
        "file": str(path),
        "status": batch.status,
    }


@dataclass
class Collected:
    """What --collect found for one batch."""

    batch_id: str
    status: str
    ok: int = 0
    no_verdict: int = 0
    failed: int = 0
    cost_usd: float = 0.0
    notes: list[str] = field(default_factory=list)


async def collect(store: Store, config: RunConfig, prices: PriceTable) -> list[Collected]:
    """Poll every uncollected batch; import the results of finished ones."""
    client = make_client(config.base_url, api_key(config), config.timeout, 4)
    redact = Redactor(api_key(config))
    out = []
    try:
        for ref, batch_id, run_id in store.judging.pending_batches():
            batch = await client.batches.retrieve(batch_id)
            result = Collected(batch_id, batch.status)
            if batch.status in FINISHED:
                items = store.judging.batch_items(ref)
                if batch.output_file_id:
                    text = (await client.files.content(batch.output_file_id)).text
                    _import_output(store, text, items, prices, run_id, redact, result)
                if batch.error_file_id:
                    text = (await client.files.content(batch.error_file_id)).text
                    _import_output(store, text, items, prices, run_id, redact, result)
                for (
                    item
                ) in items.values():  # anything the files did not mention failed with the batch
                    store.judging.record_failure(
                        item,
                        Outcome(
                            "failed",
                            1,
                            error=f"batch {batch.status} without a result for this request",
                        ),
                        run_id,
                    )
                    result.failed += 1
                store.judging.mark_batch(ref, batch.status, collected=True)
            else:
                counts = batch.request_counts
                result.notes.append(
                    f"{counts.completed}/{counts.total} done" if counts else "in progress"
                )
                store.judging.mark_batch(ref, batch.status, collected=False)
            out.append(result)
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
    result: Collected,
) -> None:
    """Store each result line (removing it from ``items``); errors become failures with their reason."""
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        row = json.loads(line)
        item = items.pop(row.get("custom_id", ""), None)
        if item is None:
            result.notes.append(f"unknown custom_id {row.get('custom_id')!r} ignored")
            continue
        response = row.get("response") or {}
        body = response.get("body") or {}
        content, usage = content_and_usage(body) if isinstance(body, dict) else (None, {})
        if response.get("status_code") != 200 or not content or not content.strip():
            reason = redact(
                json.dumps(row.get("error") or body.get("error") or "empty response")[:300]
            )
            store.judging.record_failure(
                item, Outcome("failed", 1, error=f"batch: {reason}"), run_id
            )
            result.failed += 1
            continue
        reply = CachedResponse(content, usage.get("prompt_tokens"), usage.get("completion_tokens"))
        cost = prices.cost(
            item.judge_model, reply.prompt_tokens, reply.completion_tokens, batch=True
        )
        verdict = parse_verdict(content)
        store.judging.record_verdict(
            item,
            content,
            verdict.score,
            Outcome("ok", 1, reply.prompt_tokens, reply.completion_tokens, cost),
            run_id,
            origin="batch",
            cache=reply,
        )
        result.cost_usd += cost or 0.0
        if verdict.score is None:
            result.no_verdict += 1
        else:
            result.ok += 1
