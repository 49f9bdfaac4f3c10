"""Launch the review app: resolve paths, open the store, import the demo on first run, build it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtbench_tui.cli.common import fail, handle_errors, resolve_db, stderr
from mtbench_tui.core import loading
from mtbench_tui.core.importer import import_sources
from mtbench_tui.core.judge.rejudge import JudgeSettings
from mtbench_tui.core.paths import default_reviewer, demo_data_dir
from mtbench_tui.core.store import QueueFilter, Store
from mtbench_tui.core.textsafe import visible_controls


@dataclass(frozen=True)
class PairOptions:
    """The command line's pair-mode options."""

    enabled: bool = False
    hide_models: bool = False
    group: str | None = None


@handle_errors
def launch_app(
    db_path: Path | None,
    reviewer: str | None,
    blind: bool,
    category: str | None,
    model: str | None,
    judge: str | None,
    turn: int | None,
    unrated: bool,
    judge_settings: JudgeSettings | None = None,
    keys: str | None = None,
    pair: PairOptions | None = None,
) -> None:
    """Open the database (importing the demo into a new one) and run the Textual app."""
    store = Store.open(resolve_db(db_path))
    if store.content.is_empty():
        summary = import_sources(store, loading.discover(demo_data_dir()))
        stderr().print(
            f"First run: imported the demo data ({summary.kind('answers').new} answers)."
        )
    pairwise = pair is not None and pair.enabled
    judges = store.votes.pair_judges() if pairwise else store.content.judges()
    if judge and judge not in [j for j, _n in judges]:
        kind = "pair verdicts" if pairwise else "verdicts"
        fail(f"--judge: no {kind} from judge {judge!r} in this database")
    # Textual is imported only here, so headless commands never load the UI.
    from mtbench_tui.ui.app import make_app
    from mtbench_tui.ui.bindings import APP_BINDINGS, REVIEW_BINDINGS, parse_keymap
    from mtbench_tui.ui.screens.pair_bindings import PAIR_BINDINGS

    try:
        keymap = parse_keymap(keys or "", [*APP_BINDINGS, *REVIEW_BINDINGS, *PAIR_BINDINGS])
    except ValueError as exc:
        fail(f"--keys: {exc}")
    app = make_app(
        store,
        reviewer=reviewer or default_reviewer(),
        queue_filter=QueueFilter(
            category=category, model=model, turn=turn, progress="unrated" if unrated else "all"
        ),
        blind=blind,
        judge=judge,
        judge_settings=judge_settings,
        keymap=keymap,
        **_pair_mode(pair, category, model, judge, turn, unrated),
    )
    app.run()
    store.close()
    for line in app.unsaved:
        # Nothing the reviewer typed is lost: what the database never took is printed here.
        stderr().print(visible_controls(line), markup=False, highlight=False)


def _pair_mode(
    pair: PairOptions | None,
    category: str | None,
    model: str | None,
    judge: str | None,
    turn: int | None,
    unvoted: bool,
) -> dict[str, Any]:
    """``make_app`` arguments for pair mode: the same filters, applied to comparisons."""
    if pair is None or not pair.enabled:
        return {}
    from mtbench_tui.core.pair_review import PairSettings
    from mtbench_tui.core.store.pair_filter import PairFilter

    pair_filter = PairFilter(
        category=category, model=model, turn=turn, progress="unvoted" if unvoted else "all"
    )
    settings = PairSettings(pair_filter, judge, pair.group, pair.hide_models)
    return {"mode": "pair", "pair": settings}
