"""The bundled demo data says true things: verdicts agree with the answers they judge."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtbench_tui.core.models import ItemKey, Judgment
from mtbench_tui.core.store import Store


def judgments(store: Store) -> Iterator[Judgment]:
    """Every demo verdict, item by item."""
    items = store.db.execute("SELECT DISTINCT question_id, model FROM judgments ORDER BY 1, 2")
    for question_id, model in items.fetchall():
        yield from store.content.judgments(ItemKey(question_id, model))


def verdicts(store: Store):
    """(question text, answer text, verdict text) for every demo verdict."""
    for judgment in judgments(store):
        item = ItemKey(judgment.question_id, judgment.model)
        question = store.content.question(item.question_id).turns[judgment.turn - 1]
        answer = store.content.answer(item).turns[judgment.turn - 1]
        yield question, answer, judgment.judgment


def test_word_limit_claims_match_the_word_count(demo_store: Store) -> None:
    checked = 0
    for question, answer, verdict in verdicts(demo_store):
        limit = re.search(r"under (\d+) words", question)
        if not limit or "word limit" not in verdict:
            continue
        words, cap = len(answer.split()), int(limit.group(1))
        checked += 1
        assert ("stays under the word limit" in verdict) == (words < cap), (answer[:40], verdict)
        assert ("exceeds" in verdict) == (words >= cap), (answer[:40], verdict)
    assert checked == 2


def test_sentence_limit_claims_match_the_sentence_count(demo_store: Store) -> None:
    checked = 0
    for question, answer, verdict in verdicts(demo_store):
        if "two or three sentences" in question and "sentence limit" in verdict:
            checked += 1
            assert 2 <= len(re.findall(r"[.!?](\s|$)", answer)) <= 3, verdict
    assert checked == 1


def test_every_stated_rating_is_the_stored_score(demo_store: Store) -> None:
    for judgment in judgments(demo_store):
        stated = re.findall(r"\[\[(\d+\.?\d*)\]\]", judgment.judgment)
        if judgment.score is None:
            assert stated == []
        else:
            assert [float(s) for s in stated] == [judgment.score]
