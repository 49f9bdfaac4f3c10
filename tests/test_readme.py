"""The README's two commands are the ones CI runs and the ones that work."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> dict[str, str]:
    """The command after each numbered comment in the README's first code block."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S).group(1).splitlines()
    return {line: block[i + 1] for i, line in enumerate(block) if line.startswith("# ")}


def test_readme_opens_with_install_and_test_commands() -> None:
    commands = readme_commands()
    install = commands["# 1. Install and open the app on the bundled demo data"]
    tests = commands["# 2. Install the test dependencies and run the tests"]
    assert "pip install -e ." in install and install.endswith("mtbench-review")
    assert "pip install -e '.[test]'" in tests and tests.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "# 2. Install the test dependencies and run the tests" in ci
    assert 'bash -c "$test_command"' in ci
