"""Where things live: the database and the bundled demo data. Computed on call, never at import."""

from __future__ import annotations

import getpass
import os
from importlib import resources
from pathlib import Path

DB_ENV = "MTBENCH_REVIEW_DB"
REVIEWER_ENV = "MTBENCH_REVIEWER"


def default_db_path() -> Path:
    """The database: ``$MTBENCH_REVIEW_DB`` if set, else ``annotations/mtbench.db`` in the cwd."""
    override = os.environ.get(DB_ENV)
    return Path(override) if override else Path.cwd() / "annotations" / "mtbench.db"


def default_reviewer() -> str:
    """The reviewer name: ``$MTBENCH_REVIEWER`` if set, else the OS user name."""
    name = os.environ.get(REVIEWER_ENV)
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


def demo_data_dir() -> Path:
    """The bundled demo dataset: inside the installed wheel, or ``data/demo`` in a checkout."""
    packaged = Path(str(resources.files("mtbench_tui"))) / "demo_data"
    if (packaged / "question.jsonl").exists():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "demo"
