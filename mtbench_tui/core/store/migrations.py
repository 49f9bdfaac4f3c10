"""Schema migrations, applied in order when a Store is built."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

MIGRATIONS = Migrations("mtbench_review")


@MIGRATIONS(name="0001_content")
def _content(db: sqlite_utils.Database) -> None:
    """Questions, reference answers, model answers and single judgments."""
    db.executescript(
        """
        CREATE TABLE questions (
            question_id INTEGER PRIMARY KEY,
            category TEXT NOT NULL,
            turn_1 TEXT NOT NULL,
            turn_2 TEXT NOT NULL,
            reference TEXT,
            content_hash TEXT NOT NULL
        );
        CREATE INDEX questions_category ON questions(category, question_id);

        CREATE TABLE reference_answers (
            question_id INTEGER NOT NULL REFERENCES questions(question_id),
            source TEXT NOT NULL,
            turn_1 TEXT NOT NULL,
            turn_2 TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            PRIMARY KEY (question_id, source)
        );

        CREATE TABLE answers (
            question_id INTEGER NOT NULL REFERENCES questions(question_id),
            model TEXT NOT NULL,
            answer_id TEXT,
            model_id TEXT,
            turn_1 TEXT NOT NULL,
            turn_2 TEXT NOT NULL,
            length_1 INTEGER NOT NULL,
            length_2 INTEGER NOT NULL,
            tstamp REAL,
            content_hash TEXT NOT NULL,
            PRIMARY KEY (question_id, model)
        );
        CREATE INDEX answers_model ON answers(model, question_id);

        CREATE TABLE judgments (
            id INTEGER PRIMARY KEY,
            question_id INTEGER NOT NULL,
            model TEXT NOT NULL,
            turn INTEGER NOT NULL CHECK (turn IN (1, 2)),
            judge TEXT NOT NULL,
            judge_model TEXT NOT NULL,
            prompt TEXT NOT NULL,
            score REAL,
            judgment TEXT NOT NULL,
            user_prompt TEXT NOT NULL DEFAULT '',
            tstamp REAL,
            origin TEXT NOT NULL DEFAULT 'import',
            content_hash TEXT NOT NULL,
            FOREIGN KEY (question_id, model) REFERENCES answers(question_id, model)
        );
        CREATE UNIQUE INDEX judgments_key ON judgments(question_id, model, turn, judge);
        CREATE INDEX judgments_judge ON judgments(judge, prompt);
        CREATE INDEX judgments_judge_model ON judgments(judge, model, turn);

        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            sources TEXT NOT NULL,
            summary TEXT NOT NULL
        );
        """
    )


@MIGRATIONS(name="0002_ratings")
def _ratings(db: sqlite_utils.Database) -> None:
    """Reviewers, their ratings, and the history of every rating change."""
    db.executescript(
        """
        CREATE TABLE reviewers (
            name TEXT PRIMARY KEY,
            created TEXT NOT NULL
        );

        CREATE TABLE ratings (
            question_id INTEGER NOT NULL,
            model TEXT NOT NULL,
            turn INTEGER NOT NULL CHECK (turn IN (1, 2)),
            reviewer TEXT NOT NULL REFERENCES reviewers(name),
            score INTEGER CHECK (score IS NULL OR score BETWEEN 1 AND 10),
            note TEXT NOT NULL DEFAULT '',
            flags TEXT NOT NULL DEFAULT '[]',
            blind INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            PRIMARY KEY (question_id, model, turn, reviewer),
            FOREIGN KEY (question_id, model) REFERENCES answers(question_id, model)
        );
        CREATE INDEX ratings_reviewer ON ratings(reviewer, question_id, model);

        CREATE TABLE rating_history (
            id INTEGER PRIMARY KEY,
            question_id INTEGER NOT NULL,
            model TEXT NOT NULL,
            turn INTEGER NOT NULL,
            reviewer TEXT NOT NULL,
            event TEXT NOT NULL,
            score INTEGER,
            note TEXT NOT NULL DEFAULT '',
            flags TEXT NOT NULL DEFAULT '[]',
            blind INTEGER NOT NULL DEFAULT 0,
            at TEXT NOT NULL
        );
        CREATE INDEX rating_history_key ON rating_history(question_id, model, turn, reviewer, id);
        CREATE INDEX rating_history_reviewer ON rating_history(reviewer, id);
        """
    )


@MIGRATIONS(name="0003_pair_judgments")
def _pairs(db: sqlite_utils.Database) -> None:
    """Pairwise verdicts, judged in both presentation orders, for the position-bias audit."""
    db.executescript(
        """
        CREATE TABLE pair_judgments (
            question_id INTEGER NOT NULL REFERENCES questions(question_id),
            model_1 TEXT NOT NULL,
            model_2 TEXT NOT NULL,
            turn INTEGER NOT NULL CHECK (turn IN (1, 2)),
            judge TEXT NOT NULL,
            judge_model TEXT NOT NULL,
            prompt TEXT NOT NULL,
            g1_winner TEXT NOT NULL,
            g2_winner TEXT NOT NULL,
            g1_judgment TEXT NOT NULL,
            g2_judgment TEXT NOT NULL,
            tstamp REAL,
            content_hash TEXT NOT NULL,
            PRIMARY KEY (question_id, model_1, model_2, turn, judge)
        );
        """
    )
