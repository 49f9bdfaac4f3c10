"""Checks a vote import needs once every file is staged: conversations agree, prompts are known."""

from __future__ import annotations

from pathlib import Path

from mtbench_tui.core.models import NEEDS_REFERENCE
from mtbench_tui.core.store.importing import ImportSession
from mtbench_tui.core.vote_decoding import STUDY_PROMPT, conversation_error


def check_conversations(session: ImportSession, paths: list[Path]) -> None:
    """An answer taken from a conversation must equal the model's answer, read or stored.

    Raises:
        InputError: at the first such row, naming the conversation and where the answer is.
    """
    if "conversations" not in session.tables:
        return
    found = []
    others = [("stg.s_answers", "a.file, a.line")] if "answers" in session.tables else []
    others.append(("main.answers", "NULL, NULL"))
    for table, where in others:
        row = session.conn.execute(
            "SELECT c.file, c.line, c.side, c.model, c.question_id, c.turn_1 IS NOT a.turn_1,"
            f" {where} FROM stg.s_conversations c JOIN {table} a"
            " ON a.question_id = c.question_id AND a.model = c.model"
            " WHERE (c.turn_1, c.turn_2) IS NOT (a.turn_1, a.turn_2)"
            " ORDER BY c.file, c.line LIMIT 1"
        ).fetchone()
        if row is not None:
            found.append(row)
    if found:
        file, line, side, model, qid, first, a_file, a_line = min(found)
        where = "the database" if a_file is None else f"{paths[a_file]}:{a_line}"
        raise conversation_error(paths[file], line, side, model, qid, bool(first), where)


def fill_study_prompts(session: ImportSession) -> None:
    """Name the prompt of each study verdict after its question's category, as FastChat does."""
    if "pair_judgments" not in session.tables:
        return
    category = "(SELECT category FROM main.questions q WHERE q.question_id = s.question_id)"
    if "questions" in session.tables:
        staged = "(SELECT category FROM stg.s_questions q WHERE q.question_id = s.question_id)"
        category = f"coalesce({staged}, {category})"
    math = ", ".join(f"'{c}'" for c in sorted(NEEDS_REFERENCE))
    session.conn.execute("BEGIN")
    session.conn.execute(
        "UPDATE stg.s_pair_judgments AS s SET prompt ="
        f" CASE WHEN {category} IN ({math}) THEN 'pair-math-v1' ELSE 'pair-v2' END"
        " || CASE WHEN s.turn = 2 THEN '-multi-turn' ELSE '' END WHERE s.prompt = ?",
        [STUDY_PROMPT],
    )
    session.conn.execute("COMMIT")
