"""The `mtbench-review` command: opens the review app, or runs a headless subcommand."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from mtbench_tui import __version__
from mtbench_tui.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    db_option,
    one_line,
    reset_teardown,
    teardown_skipped,
)

DEBUG_ENV = "MTBENCH_REVIEW_DEBUG"
"""Set to 1 for the same effect as --debug."""

# Subcommands load on demand: `scores` should not pay for scipy, nor `judge` for Textual.
SUBCOMMANDS = {
    "import": "mtbench_tui.cli.import_cmd:import_cmd",
    "scores": "mtbench_tui.cli.data_cmds:scores_cmd",
    "ratings": "mtbench_tui.cli.data_cmds:ratings_cmd",
    "stats": "mtbench_tui.cli.stats_cmd:stats_cmd",
    "export": "mtbench_tui.cli.export_cmd:export_cmd",
    "judge": "mtbench_tui.cli.judge_cmd:judge_cmd",
    "fetch": "mtbench_tui.cli.fetch_cmd:fetch_cmd",
    "votes": "mtbench_tui.cli.votes_cmd:votes_cmd",
    "upgrade": "mtbench_tui.cli.data_cmds:upgrade_cmd",
}


SUBCOMMAND_HELP = {
    "import": "Import a FastChat llm_judge data directory (or single files).",
    "scores": "The MT-Bench leaderboard from single judgments.",
    "ratings": "List stored human ratings beside the judge's score.",
    "stats": "Agreement with 95% CIs, and the judge-bias audit.",
    "export": "Export the report (md, html, json) or ratings (csv, fastchat).",
    "judge": "Judge stored answers through any OpenAI-compatible endpoint.",
    "fetch": "Download a published dataset (MT-Bench's human study) and import it.",
    "votes": "List human pair votes (A / B / tie) beside the judge's pair verdict.",
    "upgrade": "Bring a database made by an older mtbench-review to this version's schema.",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when used."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List subcommands from SUBCOMMAND_HELP, so --help imports none of them."""
        with formatter.section("Commands"):
            formatter.write_dl(list(SUBCOMMAND_HELP.items()))

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every subcommand, in the order of SUBCOMMANDS."""
        return list(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import the subcommand's module and return its command."""
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command

    def main(self, args: Sequence[str] | None = None, *pargs: Any, **kwargs: Any) -> Any:
        """Run the command; every error becomes one line on stderr and a non-zero exit.

        ``--debug`` (anywhere before ``--``) or $MTBENCH_REVIEW_DEBUG=1 shows the traceback
        of an unexpected error instead.
        """
        reset_teardown()  # a command asks again each run (tests run many in one process)
        argv = list(sys.argv[1:] if args is None else args)
        debug, argv = _take_debug(argv)
        debug = debug or os.environ.get(DEBUG_ENV, "") not in ("", "0")
        if kwargs.get("standalone_mode", True) is False:
            return super().main(argv, *pargs, **kwargs)
        kwargs["standalone_mode"] = False
        try:
            result = super().main(argv, *pargs, **kwargs)
        except SystemExit as exc:
            if args is None and teardown_skipped():
                _exit_now(exc.code if isinstance(exc.code, int) else 1)
            raise
        except click.ClickException as exc:
            _exit_with(_usage_line(exc), exc.exit_code)
        except click.Abort:
            _exit_with("aborted", 1)
        except BrokenPipeError:
            # The reader of our output went away (`| head`): stop quietly, as cat does.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except Exception as exc:
            if debug:
                raise
            _exit_with(*describe_error(exc))
        code = result if isinstance(result, int) else 0
        if args is None and teardown_skipped():  # the real command line, not a test's call
            _exit_now(code)
        sys.exit(code)


def _exit_now(code: int) -> None:
    """End the process at once, output flushed (``skip_teardown``)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = code or 1
    os._exit(code)


def _take_debug(argv: list[str]) -> tuple[bool, list[str]]:
    """Remove --debug from the arguments (before any ``--``); say whether it was there."""
    end = argv.index("--") if "--" in argv else len(argv)
    kept = [a for a in argv[:end] if a != "--debug"]
    return len(kept) != end, kept + argv[end:]


def _usage_line(exc: click.ClickException) -> str:
    """Click's message on one line, pointing at the command's --help for usage errors."""
    # Click wraps some messages over lines (choices, one per line); they are its own text.
    message = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        message += f" (see `{ctx.command_path} --help`)"
    return message


def _exit_with(message: str, code: int) -> None:
    """Print ``error: message`` as one line on stderr and exit."""
    click.echo(f"{click.style('error:', fg='red', bold=True)} {one_line(message)}", err=True)
    sys.exit(code)


def describe_error(exc: BaseException) -> tuple[str, int]:
    """The one-line message and exit code for an exception.

    Bad input, refused databases, SQLite and file-system errors are the user's to fix and
    exit 2; anything else is a bug, exits 70 and says how to see the traceback.
    """
    import sqlite3

    from mtbench_tui.core.jsonl import InputError
    from mtbench_tui.core.store.database import DatabaseRefused

    if isinstance(exc, (InputError, DatabaseRefused)):
        return str(exc), EXIT_BAD_INPUT
    if isinstance(exc, sqlite3.Error):
        return f"database error: {exc}", EXIT_BAD_INPUT
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}", EXIT_BAD_INPUT
    if isinstance(exc, MemoryError):
        return "out of memory", EXIT_BAD_INPUT
    name = type(exc).__name__
    return f"internal error: {name}: {exc} (run with --debug for the traceback)", EXIT_INTERNAL


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@db_option
@click.option(
    "--reviewer", help="Your reviewer name. Default: $MTBENCH_REVIEWER, else your OS user name."
)
@click.option(
    "--blind", is_flag=True, help="Hide the judge's verdict on a turn until you have scored it."
)
@click.option("--category", help="Only this category (e.g. math).")
@click.option("--model", help="Only this model's answers.")
@click.option(
    "--judge",
    help="The judge to compare against (default: the one with the most verdicts; the"
    " command palette switches).",
)
@click.option("--turn", type=click.IntRange(1, 2), help="Only rate this turn.")
@click.option("--unrated", is_flag=True, help="Only items you haven't fully scored.")
@click.option(
    "--mode",
    type=click.Choice(["single", "pair"]),
    default="single",
    show_default=True,
    help="single: rate each answer 1-10. pair: vote A / B / tie on two answers to a question.",
)
@click.option(
    "--hide-models", is_flag=True, help="Pair mode: hide model names (as in MT-Bench's study)."
)
@click.option("--group", help="Your reviewer group, e.g. expert (new reviewers: default).")
@click.option("--judge-model", "judge_model", help="Judge for the 'j' (re-judge) key, e.g. gpt-4o.")
@click.option(
    "--base-url",
    help="OpenAI-compatible endpoint for re-judging (default: $OPENAI_BASE_URL or OpenAI).",
)
@click.option(
    "--api-key-env",
    default="OPENAI_API_KEY",
    show_default=True,
    help="Variable holding the API key.",
)
@click.option(
    "--prompts",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="FastChat judge_prompts.jsonl for re-judging (default: the built-in prompts).",
)
@click.option(
    "--debug",
    is_flag=True,
    expose_value=False,
    help="Show the full traceback of an error (also accepted after the subcommand).",
)
@click.option(
    "--keys",
    metavar="ID=KEY,...",
    help="Remap keys by binding id, e.g. review.blind=ctrl+b,review.undo=z"
    " (the README's Reviewing section lists the ids).",
)
@click.version_option(__version__, prog_name="mtbench-review")
@click.pass_context
def main(
    ctx: click.Context,
    db_path: Path | None,
    reviewer: str | None,
    blind: bool,
    category: str | None,
    model: str | None,
    judge: str | None,
    turn: int | None,
    unrated: bool,
    mode: str,
    hide_models: bool,
    group: str | None,
    judge_model: str | None,
    base_url: str | None,
    api_key_env: str,
    prompts: Path | None,
    keys: str | None,
) -> None:
    """Review MT-Bench judge verdicts, measure human-judge agreement, and audit the judge.

    With no subcommand, opens the review app. The first launch on a new
    database imports the bundled demo data.

    \b
    Examples:
      mtbench-review                          # review the demo data
      mtbench-review --blind --category math  # blind review of math answers
      mtbench-review --mode pair --hide-models  # vote A / B / tie, model names hidden
      mtbench-review import path/to/mt_bench --db run.db
      mtbench-review scores --json
    """
    if ctx.invoked_subcommand is not None:
        return
    from mtbench_tui.cli.app_cmd import launch_app
    from mtbench_tui.core.judge.rejudge import JudgeSettings

    settings = None
    if judge_model:
        settings = JudgeSettings(
            judge_model=judge_model, base_url=base_url, api_key_env=api_key_env, prompts=prompts
        )
    from mtbench_tui.cli.app_cmd import PairOptions

    pair = PairOptions(mode == "pair", hide_models, group)
    launch_app(
        db_path, reviewer, blind, category, model, judge, turn, unrated, settings, keys, pair
    )
