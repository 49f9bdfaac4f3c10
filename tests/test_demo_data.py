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


def single_explanations(store: Store) -> dict[tuple[int, str, int], tuple[str, float | None]]:
    """(question, model, turn) -> the single verdict's explanation and score."""
    out = {}
    for judgment in judgments(store):
        text = judgment.judgment.split("\n\nRating: [[")[0]
        out[(judgment.question_id, judgment.model, judgment.turn)] = (text, judgment.score)
    return out


def test_pair_verdicts_restate_the_single_verdicts_and_pick_what_they_say(
    full_demo_store: Store,
) -> None:
    single = single_explanations(full_demo_store)
    rows = full_demo_store.db.execute(
        "SELECT question_id, model_1, model_2, turn, g1_winner, g2_winner, g1_judgment,"
        " g2_judgment FROM pair_judgments"
    ).fetchall()
    assert len(rows) == 16 * 3 * 2  # every pair of the three models, both turns
    for qid, m1, m2, turn, g1, g2, g1_text, g2_text in rows:
        for (first, second), winner, text in (((m1, m2), g1, g1_text), ((m2, m1), g2, g2_text)):
            a, b = single[(qid, first, turn)], single[(qid, second, turn)]
            assert text.startswith(f"Assistant A's answer: {a[0]}\n\nAssistant B's answer: {b[0]}")
            choice = re.findall(r"\[\[([ABC])\]\]", text)
            if a[1] is None or b[1] is None:
                assert choice == [] and winner == "error"
                continue
            picked = {"A": first, "B": second}.get(choice[0])
            assert winner == (
                "tie" if picked is None else ("model_1" if picked == m1 else "model_2")
            )
            if "Overall, Assistant" in text:  # a plain call follows the single scores
                assert picked == (first if a[1] > b[1] else second)
