"""Light commands load only what they use: `--help` loads click and the CLI's own two modules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mtbench_tui.core.paths import demo_data_dir

ROOT = Path(__file__).resolve().parents[1]
HEAVY = {
    "numpy",
    "scipy",
    "sqlite_utils",
    "sqlite3",
    "rich",
    "textual",
    "openai",
    "aiohttp",
    "matplotlib",
    "krippendorff",
    "msgspec",
}
"""Packages that cost tens of milliseconds or more to import."""


def loaded_by(*args: str) -> set[str]:
    """The modules a fresh interpreter holds after running the CLI with ``args``."""
    code = (
        "import json, sys\n"
        "from mtbench_tui.cli import main\n"
        f"try:\n    main({list(args)!r})\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def top_level(modules: set[str]) -> set[str]:
    """Package names."""
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["-h"]])
def test_help_loads_click_and_nothing_heavy(args: list[str]) -> None:
    modules = loaded_by(*args)
    assert not top_level(modules) & HEAVY
    ours = {m for m in modules if m.startswith("mtbench_tui")}
    assert ours == {"mtbench_tui", "mtbench_tui.cli", "mtbench_tui.cli.common"}


@pytest.mark.parametrize("command", ["import", "scores", "ratings", "stats", "export", "judge"])
def test_subcommand_help_loads_nothing_heavy_of_ours(command: str) -> None:
    """A subcommand's --help never opens a database or loads the UI."""
    modules = loaded_by(command, "--help")
    assert not top_level(modules) & {"textual", "matplotlib"}
    assert not any(m.startswith("mtbench_tui.ui") for m in modules)
    if command in ("import", "scores", "ratings"):
        assert not top_level(modules) & HEAVY


def test_scores_loads_neither_statistics_nor_the_importer(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    modules = loaded_by("import", str(demo_data_dir()), "--db", str(db))
    assert "msgspec" in top_level(modules)  # the importer's decoder, for contrast
    modules = loaded_by("scores", "--db", str(db))
    assert not top_level(modules) & {"scipy", "textual", "openai", "matplotlib", "msgspec"}
    assert "mtbench_tui.core.importer" not in modules
