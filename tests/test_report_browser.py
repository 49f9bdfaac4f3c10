"""The HTML report in headless Chromium: charts and tables render, and the page requests nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtbench_tui.cli import main
from mtbench_tui.core.store import Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium not found (Debian package 'chromium')"
)

# What the project's browser probe uses: no background services, so nothing but the page can make
# requests.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_html_report_renders_offline(rated_store: Store, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--db",
            str(rated_store.path),
            "--format",
            "html",
            "-o",
            str(report),
            "--bootstrap",
            "200",
        ],
    )
    assert result.exit_code == 0, result.output
    requests: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # bypass_csp: prove the page itself asks for nothing, not just that its CSP would block it.
        page = browser.new_page(viewport={"width": 1200, "height": 900}, bypass_csp=True)
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri(), wait_until="load")
        charts = page.eval_on_selector_all(
            "svg.chart",
            "els => els.map(e => {"
            " const r = e.getBoundingClientRect(); return [r.width, r.height]; })",
        )
        tables = page.eval_on_selector_all("table", "els => els.map(e => e.rows.length)")
        headings = page.eval_on_selector_all("h2", "els => els.map(e => e.textContent)")
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert requests == [report.as_uri()]
    assert len(charts) == 5 and all(w > 150 and h > 100 for w, h in charts)
    assert len(tables) >= 8 and all(rows >= 2 for rows in tables)
    assert any("Bias audit" in h for h in headings) and any("Human–human" in h for h in headings)
    _assert_not_blank(shot)


def _assert_not_blank(png: Path) -> None:
    """The screenshot holds real drawing: many non-white pixels, in several colours."""
    from matplotlib.image import imread

    pixels = imread(str(png))[..., :3]
    ink = (pixels < 0.9).any(-1).mean()
    colours = {tuple((p * 8).astype(int)) for p in pixels[::7, ::7].reshape(-1, 3)}
    assert pixels.shape[0] > 1500, "full-page screenshot should be long"
    assert ink > 0.05 and len(colours) > 20
