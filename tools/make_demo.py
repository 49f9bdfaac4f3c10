"""Regenerate data/demo (FastChat layout) and data/demo-ratings from tools/demo_content.py.

Run from the project root:  python tools/make_demo.py
The output is deterministic, so the committed files only change when the content does.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import demo_content as content  # noqa: E402

from mtbench_tui.core.judge.pair_prompts import builtin_pair_prompts  # noqa: E402
from mtbench_tui.core.judge.prompts import builtin_prompts  # noqa: E402
from mtbench_tui.core.models import Answer, Question, ReferenceAnswer  # noqa: E402

BASE_TSTAMP = 1767225600.0  # 2026-01-01T00:00:00Z


def _id(*parts: object) -> str:
    """A stable answer id."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:22]


def _write(path: Path, rows: list[dict]) -> None:
    """Write JSON Lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _verdict_text(explanation: str, score: float | None) -> str:
    """The judge's text: explanation, then the rating line (none when the judge gave no rating)."""
    if score is None:
        return explanation
    shown = f"{score:g}"
    return f"{explanation}\n\nRating: [[{shown}]]"


def main() -> None:
    """Write every demo file."""
    out = ROOT / "data" / "demo"
    questions = {qid: Question(qid, cat, turns) for qid, cat, turns in content.QUESTIONS}
    _write(
        out / "question.jsonl",
        [
            {"question_id": q.question_id, "category": q.category, "turns": list(q.turns)}
            for q in questions.values()
        ],
    )
    refs = {
        qid: ReferenceAnswer(qid, content.JUDGE_MODEL, turns)
        for qid, turns in content.REFERENCES.items()
    }
    _write(
        out / "reference_answer" / f"{content.JUDGE_MODEL}.jsonl",
        [
            {
                "question_id": qid,
                "answer_id": _id("ref", qid),
                "model_id": content.JUDGE_MODEL,
                "choices": [{"index": 0, "turns": list(r.turns)}],
                "tstamp": BASE_TSTAMP,
            }
            for qid, r in refs.items()
        ],
    )
    prompts = builtin_prompts()
    judgments = []
    for m_index, model in enumerate(content.MODELS):
        rows = []
        for qid, turns in content.ANSWERS[model].items():
            rows.append(
                {
                    "question_id": qid,
                    "answer_id": _id(model, qid),
                    "model_id": model,
                    "choices": [{"index": 0, "turns": list(turns)}],
                    "tstamp": BASE_TSTAMP + m_index * 1000 + qid,
                }
            )
            answer = Answer(qid, model, turns)
            for turn in (1, 2):
                explanation, score = content.VERDICTS[model][qid][turn - 1]
                request = prompts.build(questions[qid], answer, turn, refs.get(qid))
                judgments.append(
                    {
                        "question_id": qid,
                        "model": model,
                        "judge": [content.JUDGE_MODEL, request.prompt.name],
                        "user_prompt": request.user,
                        "judgment": _verdict_text(explanation, score),
                        "score": -1 if score is None else score,
                        "turn": turn,
                        "tstamp": BASE_TSTAMP + 50_000 + len(judgments),
                    }
                )
        _write(out / "model_answer" / f"{model}.jsonl", rows)
    _write(out / "model_judgment" / f"{content.JUDGE_MODEL}_single.jsonl", judgments)
    _write(out / "model_judgment" / f"{content.JUDGE_MODEL}_pair.jsonl", _pairs(questions, refs))
    _write(ROOT / "data" / "demo-ratings" / "human_ratings.jsonl", _sample_ratings(judgments))


def _pairs(questions: dict[int, Question], refs: dict[int, ReferenceAnswer]) -> list[dict]:
    """The judge's pairwise verdicts on every pair of demo models, both orders, both turns.

    Each order's text weighs the two single-answer verdicts, so it says true things about
    the answers. Where the single scores are within two points, some verdicts lean towards
    whichever answer was shown first, so the demo has order-inconsistent verdicts to find;
    a missing single rating makes that order's verdict unparseable.
    """
    prompts = builtin_pair_prompts()
    rows = []
    for qid, question in questions.items():
        for index, pair in enumerate(combinations(content.MODELS, 2)):
            # FastChat's model_1 is whichever the run listed first: not always the stronger.
            model_1, model_2 = pair if (qid + index) % 2 else pair[::-1]
            answers = [Answer(qid, m, content.ANSWERS[m][qid]) for m in (model_1, model_2)]
            for turn in (1, 2):
                verdicts = [content.VERDICTS[m][qid][turn - 1] for m in (model_1, model_2)]
                lean = (qid + turn) % 3 == 0
                orders = []
                for first, second in ((0, 1), (1, 0)):
                    request = prompts.build(
                        question, answers[first], answers[second], turn, refs.get(qid)
                    )
                    text, choice = _pair_text(verdicts[first], verdicts[second], lean)
                    shown = (model_1, model_2)[first], (model_1, model_2)[second]
                    orders.append((request.user, text, _side(choice, shown, model_1)))
                (g1_prompt, g1_text, g1), (g2_prompt, g2_text, g2) = orders
                rows.append(
                    {
                        "question_id": qid,
                        "model_1": model_1,
                        "model_2": model_2,
                        "g1_winner": g1,
                        "g2_winner": g2,
                        "judge": [
                            content.JUDGE_MODEL,
                            prompts.select(question.category, turn).name,
                        ],
                        "g1_user_prompt": g1_prompt,
                        "g1_judgment": g1_text,
                        "g2_user_prompt": g2_prompt,
                        "g2_judgment": g2_text,
                        "turn": turn,
                        "tstamp": BASE_TSTAMP + 90_000 + len(rows),
                    }
                )
    return rows


def _pair_text(
    a: tuple[str, float | None], b: tuple[str, float | None], lean: bool
) -> tuple[str, str]:
    """One order's verdict text and choice (A, B, C for a tie, or error when unparseable)."""
    body = f"Assistant A's answer: {a[0]}\n\nAssistant B's answer: {b[0]}\n\n"
    if a[1] is None or b[1] is None:
        return body + "I cannot decide between them without more context.", "error"
    gap = a[1] - b[1]
    if lean and abs(gap) <= 2:
        close = "The two answers are close; Assistant A's reads as slightly more convincing."
        return body + close + " [[A]]", "A"
    if gap == 0:
        return body + "Both answers are of similar quality. [[C]]", "C"
    better = "A" if gap > 0 else "B"
    return body + f"Overall, Assistant {better}'s answer is better. [[{better}]]", better


def _side(choice: str, shown: tuple[str, str], model_1: str) -> str:
    """A choice made in one display order, as FastChat stores it (model_1, model_2, tie)."""
    if choice in ("C", "error"):
        return "tie" if choice == "C" else "error"
    winner = shown[0] if choice == "A" else shown[1]
    return "model_1" if winner == model_1 else "model_2"


def _sample_ratings(judgments: list[dict]) -> list[dict]:
    """Two fictional reviewers' ratings of every demo turn, for trying the statistics and reports.

    alice rates blind and sometimes revises after seeing the judge; bob is a little harsher.
    """
    rng = random.Random(20261128)
    rows = []
    for j in judgments:
        judge = j["score"] if j["score"] != -1 else 1
        for reviewer, offset in (("alice", -0.6), ("bob", -1.1)):
            score = int(min(10, max(1, round(judge + offset + rng.gauss(0, 1.1)))))
            day = 1 + j["question_id"] % 27
            minute = j["turn"] * 10 + (reviewer == "bob")
            at = f"2026-02-{day:02d}T10:{minute:02d}:00.000Z"
            history = [
                {"event": "score", "score": score, "note": "", "flags": [], "blind": True, "at": at}
            ]
            final = score
            if reviewer == "alice" and abs(judge - score) >= 2 and rng.random() < 0.4:
                final = score + (1 if judge > score else -1)
                history.append(
                    {
                        "event": "score",
                        "score": final,
                        "note": "",
                        "flags": [],
                        "blind": False,
                        "at": at.replace(":00.000Z", ":30.000Z"),
                    }
                )
            flags = ["judge-wrong"] if abs(judge - final) >= 4 else []
            note = "judge missed the error" if flags else ""
            if flags or note:
                history.append(
                    {
                        "event": "flags",
                        "score": final,
                        "note": note,
                        "flags": flags,
                        "blind": len(history) == 1,
                        "at": at.replace(":00.000Z", ":45.000Z"),
                    }
                )
            rows.append(
                {
                    "question_id": j["question_id"],
                    "model": j["model"],
                    "judge": [f"human:{reviewer}", "review"],
                    "user_prompt": "",
                    "judgment": note,
                    "score": final,
                    "turn": j["turn"],
                    "tstamp": None,
                    "flags": flags,
                    "blind": len(history) == 1,
                    "created": at,
                    "updated": history[-1]["at"],
                    "history": history,
                }
            )
    return rows


if __name__ == "__main__":
    main()
