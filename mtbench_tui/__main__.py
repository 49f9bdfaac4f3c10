"""Allow `python -m mtbench_tui`."""

from mtbench_tui.cli import main

main()
