"""The core/UI boundary: the core never imports Textual, and headless commands never load the UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str) -> str:
    """Run code in a fresh interpreter; return its stdout."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout


def test_core_never_imports_textual() -> None:
    modules = [
        "mtbench_tui.core.models",
        "mtbench_tui.core.loading",
        "mtbench_tui.core.importer",
        "mtbench_tui.core.store",
        "mtbench_tui.core.review",
        "mtbench_tui.core.analysis.report",
        "mtbench_tui.core.report.export",
        "mtbench_tui.core.judge.job",
        "mtbench_tui.core.judge.processes",
        "mtbench_tui.core.judge.batch",
        "mtbench_tui.stats",
    ]
    out = run_python(
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(n for n in sys.modules if n == 'textual' or n.startswith('textual.')))"
    )
    assert out.strip() == "[]"


def test_headless_commands_do_not_load_the_ui(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    out = run_python(
        "import sys\nfrom click.testing import CliRunner\nfrom mtbench_tui.cli import main\n"
        f"r = CliRunner().invoke(main, ['import', 'data/demo', '--db', {db!r}])\n"
        f"r = CliRunner().invoke(main, ['stats', '--db', {db!r}, '--bootstrap', '10'])\n"
        "print(r.exit_code, 'textual' in sys.modules,"
        " any(m.startswith('mtbench_tui.ui') for m in sys.modules))"
    )
    assert out.split() == ["0", "False", "False"]


def test_import_contracts_hold() -> None:
    """import-linter's contracts in pyproject.toml.

    The core never imports ui, cli or textual; the layers are cli -> ui -> core, with layers
    inside the core too; no import cycles among the core's modules.
    """
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken" in result.stdout


def test_nothing_happens_at_import_time(tmp_path: Path) -> None:
    """Importing the package creates no database and opens no file."""
    empty = tmp_path / "empty"
    empty.mkdir()
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import mtbench_tui.cli, mtbench_tui.ui.app; import os; print(sorted(os.listdir('.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=empty,
    ).stdout
    assert out.strip() == "[]"
