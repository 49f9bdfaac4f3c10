"""The stats screen and export dialog, driven through Pilot."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from mtbench_tui.core.store import Store
from tests.app_helpers import build, press, screen_text


async def wait_for_stats(pilot) -> None:
    """Let the statistics worker finish and its result render."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_stats_screen_shows_agreement_and_refreshes(rated_store: Store) -> None:
    app = build(rated_store, reviewer="carol")
    async with app.run_test(size=(130, 50)) as pilot:
        await press(pilot, "s")
        await wait_for_stats(pilot)
        text = screen_text(app)
        assert "192 ratings · 2 reviewers" in text
        assert "vs humans (95% cluster-bootstrap CI)" in text and "κ quad" in text
        assert "human-human" in text and "(n=96, 16 q)" in text
        # Back to reviewing: carol rates one turn, and the stats pick it up on return.
        await press(pilot, "escape", "7", "s")
        await wait_for_stats(pilot)
        assert "193 ratings · 3 reviewers" in screen_text(app)


async def test_stats_tabs_show_charts_and_bias(rated_store: Store) -> None:
    app = build(rated_store)
    async with app.run_test(size=(130, 50)) as pilot:
        await press(pilot, "s")
        await wait_for_stats(pilot)
        app.screen.query_one("#stats-tabs").active = "tab-charts"
        await pilot.pause()
        text = screen_text(app)
        assert "Score distributions" in text and "Human (rows) against judge (columns)" in text
        app.screen.query_one("#stats-tabs").active = "tab-bias"
        await pilot.pause()
        text = screen_text(app)
        assert "Bias audit" in text and "Leniency" in text and "⚑" in text


async def test_stats_notice_ratings_from_another_process(rated_store: Store) -> None:
    from mtbench_tui.core.models import TurnKey

    app = build(rated_store)
    async with app.run_test(size=(130, 50)) as pilot:
        await press(pilot, "s")
        await wait_for_stats(pilot)
        other = Store.open(rated_store.path)
        other.ratings.set_score(TurnKey(916, "pico-1b-chat", 2), "dave", 1)
        other.close()
        app.screen.check_for_changes()  # what the screen's 3-second timer calls
        await wait_for_stats(pilot)
        assert "193 ratings · 3 reviewers" in screen_text(app)


async def test_export_dialog_writes_each_format(rated_store: Store, tmp_path: Path) -> None:
    app = build(rated_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "e")
        dialog = app.screen
        for fmt in ("json", "csv"):
            dialog.query_one("#format").value = fmt
            await pilot.pause()
            dialog.query_one("#path").value = str(tmp_path / f"out.{fmt}")
            await press(pilot, "ctrl+s")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert "Wrote" in screen_text(app)
        await press(pilot, "escape")
    assert json.loads((tmp_path / "out.json").read_text())["reviewers"] == ["alice", "bob"]
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as handle:
        assert len(list(csv.reader(handle))) == 193


async def test_export_failure_is_shown_and_dialog_stays(rated_store: Store, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    app = build(rated_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "e")
        app.screen.query_one("#path").value = str(blocker / "report.html")
        await press(pilot, "ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "Export failed" in screen_text(app)


INTERVAL = re.compile(r"\[-?\d+\.\d{3}, -?\d+\.\d{3}\]")
PARTIAL = re.compile(r"\[-?\d+\.\d{3},?\s*(?:[│┃|]|$)|(?:^|[│┃|]\s*)-?\d+\.\d{3}\]")


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
async def test_tables_fit_without_cutting_intervals(
    rated_store: Store, size: tuple[int, int]
) -> None:
    """At both window sizes, every interval on the agreement and breakdown tabs is whole."""
    app = build(rated_store)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "s")
        await wait_for_stats(pilot)
        status = app.screen.query_one("#stats-status")
        assert status.size.height == 1  # the header never wraps
        for tab in ("tab-agreement", "tab-breakdowns"):
            app.screen.query_one("#stats-tabs").active = tab
            await pilot.pause()
            static = app.screen.query_one(f"#stats-{tab.removeprefix('tab-')}")
            lines = static.render_lines(static.region)  # the whole tab, not just what is visible
            text = [strip.text for strip in lines]
            assert any(INTERVAL.search(line) for line in text), tab
            assert not [line for line in text if PARTIAL.search(line)], tab
            assert all(len(line.rstrip()) <= size[0] for line in text)


async def test_page_keys_scroll_the_stats_tabs(rated_store: Store) -> None:
    app = build(rated_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "s")
        await wait_for_stats(pilot)
        scroll = app.screen.query_one("#scroll-agreement")
        assert scroll.max_scroll_y > 0 and scroll.scroll_y == 0
        await press(pilot, "pagedown")
        assert scroll.scroll_y > 0
        await press(pilot, "end")
        assert scroll.scroll_y == scroll.max_scroll_y
        await press(pilot, "home")
        assert scroll.scroll_y == 0
        await press(pilot, "question_mark")
        assert "PgUp / PgDn" in screen_text(app)


async def test_export_dialog_defaults_to_the_current_directory_and_remembers(
    rated_store: Store, tmp_path: Path
) -> None:
    app = build(rated_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "e")
        assert app.screen.query_one("#path").value == str(Path.cwd() / "mtbench-report.html")
        app.screen.query_one("#format").value = "md"
        await pilot.pause()
        app.screen.query_one("#path").value = str(tmp_path / "first.md")
        await press(pilot, "ctrl+s")
        await press(pilot, "escape", "e")
        assert app.screen.query_one("#format").value == "md"
        assert app.screen.query_one("#path").value == str(tmp_path / "first.md")
    assert (tmp_path / "first.md").read_text().startswith("# MT-Bench")


async def test_stats_arrive_in_three_stages(rated_store: Store) -> None:
    """Pooled numbers counted in SQL first, then every estimate, then intervals and audit."""
    app = build(rated_store)
    async with app.run_test(size=(130, 50)) as pilot:
        await press(pilot, "s")
        await wait_for_stats(pilot)
        screen = app.screen
        assert [stage for stage, _at in screen.shown] == ["first", "estimates", "final"]
        assert "Bias audit" in screen_text(app) or screen.computed.final


def test_first_numbers_equal_the_report_point_estimates(rated_store: Store) -> None:
    from mtbench_tui.core.analysis.first import first_numbers
    from mtbench_tui.core.analysis.report import build_report
    from mtbench_tui.core.analysis.settings import Settings

    first = first_numbers(rated_store)
    full = build_report(rated_store, settings=Settings(n_resamples=0), with_audit=False)
    assert first.counts == full.counts and first.judges == full.judges
    for quick, block in zip(first.judge_human, full.judge_human):
        assert quick.judge_model == block.judge_model
        for a, b in zip(quick.rows, block.rows, strict=True):
            assert (a.reviewer, a.n, a.n_questions) == (b.reviewer, b.n, b.n_questions)
            assert {k: e.value for k, e in a.metrics.estimates.items()} == {
                k: e.value for k, e in b.metrics.estimates.items()
            }
