"""Synthetic FastChat-layout data at any scale, for the benchmarks (deterministic, short texts)."""

from __future__ import annotations

import json
import random
from pathlib import Path

CATEGORIES = (
    "writing",
    "roleplay",
    "extraction",
    "reasoning",
    "math",
    "coding",
    "stem",
    "humanities",
)


def write_dataset(root: Path, questions: int, models: int, seed: int = 0) -> dict[str, int]:
    """Write question.jsonl, model_answer/*.jsonl and model_judgment/gpt-4_single.jsonl.

    Returns:
        Row counts by kind.
    """
    rng = random.Random(seed)
    (root / "model_answer").mkdir(parents=True, exist_ok=True)
    (root / "model_judgment").mkdir(parents=True, exist_ok=True)
    (root / "reference_answer").mkdir(parents=True, exist_ok=True)
    with (
        open(root / "question.jsonl", "w") as out,
        open(root / "reference_answer" / "gpt-4.jsonl", "w") as ref,
    ):
        for q in range(questions):
            out.write(
                json.dumps(
                    {
                        "question_id": q + 1,
                        "category": CATEGORIES[q % 8],
                        "turns": [
                            f"Question {q + 1}, first turn?",
                            f"Question {q + 1}, follow-up?",
                        ],
                    }
                )
                + "\n"
            )
            ref.write(
                json.dumps(
                    {
                        "question_id": q + 1,
                        "choices": [
                            {
                                "index": 0,
                                "turns": [f"Reference {q + 1} one.", f"Reference {q + 1} two."],
                            }
                        ],
                    }
                )
                + "\n"
            )
    judgments = 0
    with open(root / "model_judgment" / "gpt-4_single.jsonl", "w") as jout:
        for m in range(models):
            name = f"model-{m:05d}"
            with open(root / "model_answer" / f"{name}.jsonl", "w") as aout:
                for q in range(questions):
                    aout.write(
                        json.dumps(
                            {
                                "question_id": q + 1,
                                "answer_id": f"{m}-{q}",
                                "model_id": name,
                                "choices": [
                                    {
                                        "index": 0,
                                        "turns": [
                                            f"Answer {m}/{q} one. " * 3,
                                            f"Answer {m}/{q} two. " * 3,
                                        ],
                                    }
                                ],
                                "tstamp": 1.0,
                            }
                        )
                        + "\n"
                    )
                    for turn in (1, 2):
                        score = rng.randint(1, 10)
                        prompt = "single-v1" if turn == 1 else "single-v1-multi-turn"
                        jout.write(
                            json.dumps(
                                {
                                    "question_id": q + 1,
                                    "model": name,
                                    "judge": ["gpt-4", prompt],
                                    "user_prompt": "prompt",
                                    "judgment": f"Fine. Rating: [[{score}]]",
                                    "score": score,
                                    "turn": turn,
                                    "tstamp": 2.0,
                                }
                            )
                            + "\n"
                        )
                        judgments += 1
    return {"questions": questions, "answers": questions * models, "judgments": judgments}
