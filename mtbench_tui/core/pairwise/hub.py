"""Download MT-Bench's human study from the Hugging Face hub, through ``huggingface_hub``.

The endpoint, token and cache are read when a download starts (``HF_ENDPOINT``,
``HF_TOKEN`` or the saved login, ``HF_HUB_CACHE``/``HF_HOME``), so they can change
between calls in one process.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ENDPOINT = "https://huggingface.co"


@dataclass(frozen=True)
class HubFile:
    """One file in a hub repository."""

    repo_id: str
    repo_type: str
    path: str


@dataclass(frozen=True)
class Fetchable:
    """Something ``fetch`` can download: a dataset's Parquet splits plus fixed files."""

    name: str
    description: str
    dataset: str
    splits: tuple[str, ...]
    questions: HubFile
    judge_prompts: HubFile
    revision: str = "main"


@dataclass(frozen=True)
class Fetched:
    """Where the downloaded files are on disk."""

    name: str
    questions: Path
    judge_prompts: Path
    votes: tuple[Path, ...]


_MT_BENCH_SPACE = "lmsys/mt-bench"

CATALOG: dict[str, Fetchable] = {
    "mt-bench-human": Fetchable(
        name="mt-bench-human",
        description=(
            "MT-Bench's human study (CC BY 4.0): 3,355 expert and author votes and GPT-4's"
            " 2,400 pairwise verdicts on 80 questions x 6 models, with MT-Bench's questions"
            " and judge prompts"
        ),
        dataset="lmsys/mt_bench_human_judgments",
        splits=("human", "gpt4_pair"),
        questions=HubFile(_MT_BENCH_SPACE, "space", "data/mt_bench/question.jsonl"),
        judge_prompts=HubFile(_MT_BENCH_SPACE, "space", "data/judge_prompts.jsonl"),
    ),
}
"""Everything ``mtbench-review fetch`` knows, by name."""


class FetchError(Exception):
    """A download could not be completed; the message says what to do."""


def endpoint() -> str:
    """The hub to download from: ``$HF_ENDPOINT``, else huggingface.co."""
    return os.environ.get("HF_ENDPOINT", DEFAULT_ENDPOINT).rstrip("/")


def cache_dir() -> Path:
    """The hub cache: ``$HF_HUB_CACHE``, else ``$HF_HOME/hub``, else ~/.cache/huggingface/hub."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = os.environ.get("HF_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "huggingface"
    )
    return Path(home) / "hub"


def fetch(name: str, to: Path | None = None) -> Fetched:
    """Download one catalog entry.

    Args:
        name: a key of ``CATALOG``.
        to: a directory to copy the files into (``<owner>__<repo>/<path>``); they are
            always downloaded through the hub cache.

    Returns:
        The local paths of the question file, the judge prompts and the vote files.

    Raises:
        FetchError: unknown name, or the hub could not be reached or lacks a file.
    """
    entry = CATALOG.get(name)
    if entry is None:
        raise FetchError(f"unknown dataset {name!r}; known: {', '.join(sorted(CATALOG))}")
    splits = [HubFile(entry.dataset, "dataset", p) for p in split_files(entry)]
    votes = tuple(_download(f, entry.revision, to) for f in splits)
    return Fetched(
        name,
        _download(entry.questions, entry.revision, to),
        _download(entry.judge_prompts, entry.revision, to),
        votes,
    )


def split_files(entry: Fetchable) -> list[str]:
    """The Parquet files of each split, found by listing the dataset repository."""
    from huggingface_hub import HfApi

    api = HfApi(endpoint=endpoint())
    try:
        files = api.list_repo_files(entry.dataset, repo_type="dataset", revision=entry.revision)
    except Exception as exc:  # hub errors, and the hub client's HTTP library's own errors
        raise FetchError(f"cannot list {entry.dataset} on {endpoint()}: {_short(exc)}") from None
    found = []
    for split in entry.splits:
        mine = sorted(f for f in files if _is_split_file(f, split))
        if not mine:
            raise FetchError(f"{entry.dataset} has no Parquet file for split {split!r}")
        found += mine
    return found


def _is_split_file(path: str, split: str) -> bool:
    """True for ``data/<split>-00000-of-00001-*.parquet`` or ``<split>/*.parquet``."""
    if not path.endswith(".parquet"):
        return False
    parts = path.split("/")
    return parts[-1].startswith(f"{split}-") or (len(parts) > 1 and parts[-2] == split)


def _download(file: HubFile, revision: str, to: Path | None) -> Path:
    """Download one file (or take it from the cache) and return its local path."""
    from huggingface_hub import hf_hub_download

    try:
        local = hf_hub_download(
            file.repo_id,
            file.path,
            repo_type=file.repo_type,
            revision=revision,
            endpoint=endpoint(),
            cache_dir=cache_dir(),
        )
    except Exception as exc:  # as in split_files
        where = f"{file.repo_type} {file.repo_id}: {file.path}"
        raise FetchError(f"cannot download {where} from {endpoint()}: {_short(exc)}") from None
    if to is None:
        return Path(local)
    # The cache keeps the one copy the hub client manages; DIR gets a plain file beside it.
    target = to / file.repo_id.replace("/", "__") / file.path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(local, target)
    return target


def _short(exc: Exception) -> str:
    """The first line of an exception's message."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
