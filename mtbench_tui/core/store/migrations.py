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


@MIGRATIONS(name="0004_judge_runs")
def _judge_runs(db: sqlite_utils.Database) -> None:
    """Judge runs, per-request usage, failures, the response cache, and Batch API bookkeeping."""
    db.executescript(
        """
        CREATE TABLE judge_runs (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            finished TEXT,
            judge_model TEXT NOT NULL,
            prompt_family TEXT NOT NULL,
            endpoint TEXT,
            params TEXT NOT NULL,
            mode TEXT NOT NULL DEFAULT 'online',
            summary TEXT
        );

        CREATE TABLE judge_requests (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES judge_runs(id),
            question_id INTEGER NOT NULL,
            model TEXT NOT NULL,
            turn INTEGER NOT NULL,
            judge TEXT NOT NULL,
            prompt TEXT NOT NULL,
            cache_key TEXT NOT NULL,
            status TEXT NOT NULL,
            error TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            cost_usd REAL,
            latency_s REAL,
            at TEXT NOT NULL
        );
        CREATE INDEX judge_requests_run ON judge_requests(run_id);

        CREATE TABLE judge_failures (
            question_id INTEGER NOT NULL,
            model TEXT NOT NULL,
            turn INTEGER NOT NULL,
            judge TEXT NOT NULL,
            prompt TEXT NOT NULL,
            reason TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            run_id INTEGER,
            at TEXT NOT NULL,
            PRIMARY KEY (question_id, model, turn, judge)
        );

        CREATE TABLE judge_cache (
            cache_key TEXT PRIMARY KEY,
            judge_model TEXT NOT NULL,
            request TEXT NOT NULL,
            content TEXT NOT NULL,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            created TEXT NOT NULL
        );

        CREATE TABLE judge_batches (
            id INTEGER PRIMARY KEY,
            batch_id TEXT NOT NULL UNIQUE,
            input_file_id TEXT NOT NULL,
            run_id INTEGER REFERENCES judge_runs(id),
            status TEXT NOT NULL,
            n_requests INTEGER NOT NULL,
            created TEXT NOT NULL,
            collected TEXT
        );

        CREATE TABLE judge_batch_items (
            batch INTEGER NOT NULL REFERENCES judge_batches(id),
            custom_id TEXT NOT NULL,
            question_id INTEGER NOT NULL,
            model TEXT NOT NULL,
            turn INTEGER NOT NULL,
            judge TEXT NOT NULL,
            prompt TEXT NOT NULL,
            cache_key TEXT NOT NULL,
            request TEXT NOT NULL,
            PRIMARY KEY (batch, custom_id)
        );
        """
    )
