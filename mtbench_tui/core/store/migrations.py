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


@MIGRATIONS(name="0005_pairwise")
def _pairwise(db: sqlite_utils.Database) -> None:
    """Pairwise ground truth: reviewer groups, combined judge verdicts, and human pair votes."""
    db.executescript(
        """
        ALTER TABLE reviewers ADD COLUMN reviewer_group TEXT NOT NULL DEFAULT 'default';

        -- Rebuilt so that a verdict known only as a combined winner (the published
        -- gpt4_pair split) fits beside FastChat rows that carry both orders.
        CREATE TABLE pair_judgments_v2 (
            question_id INTEGER NOT NULL REFERENCES questions(question_id),
            model_1 TEXT NOT NULL,
            model_2 TEXT NOT NULL,
            turn INTEGER NOT NULL CHECK (turn IN (1, 2)),
            judge TEXT NOT NULL,
            judge_model TEXT NOT NULL,
            prompt TEXT NOT NULL,
            winner TEXT NOT NULL
                CHECK (winner IN ('model_1', 'model_2', 'tie', 'inconsistent', 'error')),
            g1_winner TEXT CHECK (g1_winner IN ('model_1', 'model_2', 'tie', 'error')),
            g2_winner TEXT CHECK (g2_winner IN ('model_1', 'model_2', 'tie', 'error')),
            g1_judgment TEXT NOT NULL DEFAULT '',
            g2_judgment TEXT NOT NULL DEFAULT '',
            g1_user_prompt TEXT NOT NULL DEFAULT '',
            g2_user_prompt TEXT NOT NULL DEFAULT '',
            tstamp REAL,
            origin TEXT NOT NULL DEFAULT 'import',
            content_hash TEXT NOT NULL,
            PRIMARY KEY (question_id, model_1, model_2, turn, judge),
            CHECK (model_1 <> model_2)
        );
        INSERT INTO pair_judgments_v2 (
            question_id, model_1, model_2, turn, judge, judge_model, prompt, winner,
            g1_winner, g2_winner, g1_judgment, g2_judgment, tstamp, content_hash
        )
        SELECT question_id, model_1, model_2, turn, judge, judge_model, prompt,
            CASE
                WHEN g1_winner = 'error' OR g2_winner = 'error' THEN 'error'
                WHEN g1_winner = 'tie' OR g2_winner = 'tie' THEN 'tie'
                WHEN g1_winner = g2_winner THEN g1_winner
                ELSE 'inconsistent'
            END,
            g1_winner, g2_winner, g1_judgment, g2_judgment, tstamp, content_hash
        FROM pair_judgments;
        DROP TABLE pair_judgments;
        ALTER TABLE pair_judgments_v2 RENAME TO pair_judgments;
        -- One verdict per judge and comparison, whichever model FastChat called model_1.
        CREATE UNIQUE INDEX pair_judgments_comparison ON pair_judgments(
            question_id, min(model_1, model_2), max(model_1, model_2), turn, judge
        );
        CREATE INDEX pair_judgments_judge ON pair_judgments(judge, question_id);

        -- A human vote on a comparison. model_1 < model_2 always (the canonical order);
        -- shown_a records which of them the reviewer saw as answer A.
        CREATE TABLE pair_votes (
            question_id INTEGER NOT NULL,
            model_1 TEXT NOT NULL,
            model_2 TEXT NOT NULL,
            turn INTEGER NOT NULL CHECK (turn IN (1, 2)),
            reviewer TEXT NOT NULL REFERENCES reviewers(name),
            shown_a TEXT NOT NULL,
            winner TEXT CHECK (winner IN ('model_1', 'model_2', 'tie')),
            note TEXT NOT NULL DEFAULT '',
            flags TEXT NOT NULL DEFAULT '[]',
            blind INTEGER NOT NULL DEFAULT 0,
            origin TEXT NOT NULL DEFAULT 'app',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            PRIMARY KEY (question_id, model_1, model_2, turn, reviewer),
            CHECK (model_1 < model_2),
            CHECK (shown_a IN (model_1, model_2)),
            FOREIGN KEY (question_id, model_1) REFERENCES answers(question_id, model),
            FOREIGN KEY (question_id, model_2) REFERENCES answers(question_id, model)
        );
        CREATE INDEX pair_votes_reviewer ON pair_votes(reviewer, question_id, model_1, model_2);

        CREATE TABLE pair_vote_history (
            id INTEGER PRIMARY KEY,
            question_id INTEGER NOT NULL,
            model_1 TEXT NOT NULL,
            model_2 TEXT NOT NULL,
            turn INTEGER NOT NULL,
            reviewer TEXT NOT NULL,
            event TEXT NOT NULL,
            shown_a TEXT,
            winner TEXT,
            note TEXT NOT NULL DEFAULT '',
            flags TEXT NOT NULL DEFAULT '[]',
            blind INTEGER NOT NULL DEFAULT 0,
            at TEXT NOT NULL
        );
        CREATE INDEX pair_vote_history_key
            ON pair_vote_history(question_id, model_1, model_2, turn, reviewer, id);
        CREATE INDEX pair_vote_history_reviewer ON pair_vote_history(reviewer, id);
        """
    )


@MIGRATIONS(name="0006_judge_pairs")
def _judge_pairs(db: sqlite_utils.Database) -> None:
    """Judge runs know their state and owner; usage and failures can name one order of a pair."""
    db.executescript(
        """
        -- running | finished | interrupted | aborted (its process died; closed by a later run)
        -- | submitted (a batch). owner = host:pid:start, to tell a live run from a killed one.
        ALTER TABLE judge_runs ADD COLUMN status TEXT NOT NULL DEFAULT 'finished';
        ALTER TABLE judge_runs ADD COLUMN owner TEXT;
        UPDATE judge_runs SET status = 'aborted' WHERE finished IS NULL;

        -- For pairwise requests: model is FastChat's model_1, pair_order 'g1' or 'g2'.
        ALTER TABLE judge_requests ADD COLUMN model_2 TEXT NOT NULL DEFAULT '';
        ALTER TABLE judge_requests ADD COLUMN pair_order TEXT NOT NULL DEFAULT '';

        CREATE TABLE judge_failures_v2 (
            question_id INTEGER NOT NULL,
            model TEXT NOT NULL,
            turn INTEGER NOT NULL,
            judge TEXT NOT NULL,
            model_2 TEXT NOT NULL DEFAULT '',
            pair_order TEXT NOT NULL DEFAULT '',
            prompt TEXT NOT NULL,
            reason TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            run_id INTEGER,
            at TEXT NOT NULL,
            PRIMARY KEY (question_id, model, turn, judge, model_2, pair_order)
        );
        INSERT INTO judge_failures_v2 (
            question_id, model, turn, judge, prompt, reason, attempts, run_id, at
        )
        SELECT question_id, model, turn, judge, prompt, reason, attempts, run_id, at
        FROM judge_failures;
        DROP TABLE judge_failures;
        ALTER TABLE judge_failures_v2 RENAME TO judge_failures;
        CREATE INDEX judge_failures_run ON judge_failures(run_id);
        """
    )


@MIGRATIONS(name="0007_scale_indexes")
def _scale_indexes(db: sqlite_utils.Database) -> None:
    """Covering indexes for the statistics at scale (helper scale): joins start from ratings."""
    db.executescript(
        """
        -- Ratings in key order with their score: the statistics walk this, never the table.
        CREATE INDEX ratings_scores ON ratings(question_id, model, turn, reviewer, score);
        -- A turn's verdict score, looked up from a rating without reading the verdict row.
        CREATE INDEX judgments_scores ON judgments(question_id, model, turn, judge, score);
        -- An answer's lengths without reading its (long) texts.
        CREATE INDEX answers_lengths ON answers(question_id, model, length_1, length_2);
        -- Verdicts and no-verdict counts per judge and prompt from the index alone; it
        -- serves every query judgments_judge(judge, prompt) served.
        CREATE INDEX judgments_verdicts ON judgments(judge, prompt, judge_model, score);
        DROP INDEX IF EXISTS judgments_judge;
        -- Pairwise votes counted per comparison and winner from the index alone.
        CREATE INDEX pair_votes_counts
            ON pair_votes(question_id, model_1, model_2, turn, winner, reviewer);
        """
    )
