"""`mtbench-review fetch`: download a published dataset from the Hugging Face hub and import it."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from mtbench_tui.cli.common import db_option, fail, handle_errors, resolve_db, stderr, stdout
from mtbench_tui.cli.import_cmd import import_into, print_summary
from mtbench_tui.core import loading
from mtbench_tui.core.pairwise.hub import CATALOG, FetchError, endpoint, fetch


@click.command("fetch")
@click.argument("name", required=False)
@db_option
@click.option(
    "--to",
    "to",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also place the downloaded files in this directory (default: the hub cache only).",
)
@click.option("--list", "show_list", is_flag=True, help="Show what can be fetched.")
@click.option("--no-import", "no_import", is_flag=True, help="Download only.")
@handle_errors
def fetch_cmd(
    name: str | None, db_path: Path | None, to: Path | None, show_list: bool, no_import: bool
) -> None:
    """Download a published dataset through huggingface_hub, then import it.

    Honours HF_ENDPOINT, your hub token (HF_TOKEN or `hf auth login`) and the hub cache
    (HF_HOME / HF_HUB_CACHE): a second fetch reads the cache.

    \b
    Examples:
      mtbench-review fetch --list
      mtbench-review fetch mt-bench-human
      mtbench-review fetch mt-bench-human --to data/mt_bench_human --db study.db
    """
    if show_list or name is None:
        _print_catalog()
        return
    try:
        fetched = fetch(name, to)
    except FetchError as exc:
        fail(str(exc))
        return
    console = stderr()
    for path in (fetched.questions, fetched.judge_prompts, *fetched.votes):
        console.print(Text(f"fetched {path}"))
    if no_import:
        return
    sources = loading.DataSources(questions=[fetched.questions], votes=list(fetched.votes))
    path = resolve_db(db_path)
    print_summary(import_into(path, sources), path)
    stdout().print(
        Text(f"Judge prompts for `judge --prompts`: {fetched.judge_prompts}"), soft_wrap=True
    )


def _print_catalog() -> None:
    """A table of the fetchable datasets."""
    table = Table(title=f"Fetchable from {endpoint()}", title_justify="left")
    for column in ("name", "dataset", "splits"):
        table.add_column(column, no_wrap=True)
    table.add_column("what")
    for entry in CATALOG.values():
        table.add_row(entry.name, entry.dataset, ", ".join(entry.splits), entry.description)
    stdout().print(table)
