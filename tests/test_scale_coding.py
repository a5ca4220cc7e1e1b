"""detente.scale codes exactly what one process codes: same documents, ids, events and problems."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from detente.coding import Coder
from detente.record import Document, Event
from detente.scale import Cluster, ScaleReport, code_distributed, ingest_distributed
from detente.scale.partitions import ReadOptions, plan_partitions, read_partition
from detente.sources import ReadProblem, read_paths, sample_path

ARTICLES = {
    "a/wire.txt": "Published: 2024-01-17\n\nIran launched missile strikes on Pakistan on Tuesday, "
    "Pakistan's foreign ministry said.\n",
    # the same file name in another folder: read_paths renames the second document `paper~2`
    "a/paper.txt": "Published: 2024-01-18\n\nIslamabad recalled its ambassador from Tehran on Wednesday.\n",
    "b/paper.txt": "Published: 2024-01-22\n\nPakistan and Iran agreed to return their ambassadors, "
    "the two foreign ministers said on Monday.\n",
    "b/notes.xyz": "not news",
}


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    root = tmp_path_factory.mktemp("scale-corpus")
    for name, text in ARTICLES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    lines = Path(sample_path()).read_text(encoding="utf-8").splitlines()
    # a bad line and a repeated id inside the JSONL, split over several partitions
    mixed = [*lines[:6], "{not json", lines[2], *lines[6:9]]
    (root / "mixed.jsonl").write_text("\n".join(mixed), encoding="utf-8")  # no newline at the end
    with gzip.open(root / "more.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines[9:14]) + "\n")
    # a truncated archive: read_paths keeps the lines before the damage and says so
    whole = gzip.compress(("\n".join(lines[14:20]) + "\n").encode("utf-8"))
    (root / "cut.jsonl.gz").write_bytes(whole[: len(whole) * 2 // 3])
    return [str(root / "a"), str(root / "b"), str(root / "mixed.jsonl"), str(root / "more.jsonl.gz"),
            str(root / "cut.jsonl.gz"), str(root / "missing.txt")]  # fmt: skip


def _single_process(coder: Coder, paths: list[str]) -> tuple[list[Document], list[Event], set[str]]:
    problems: list[ReadProblem] = []
    documents = list(read_paths(paths, on_error=problems.append))
    return documents, list(coder.code_documents(documents)), {str(p) for p in problems}


def _documents_key(documents: list[Document]) -> list[tuple[object, ...]]:
    return [(d.doc_id, d.text, d.published, d.title, d.url, d.origin) for d in documents]


@pytest.mark.parametrize(
    ("scheduler", "partition_size"), [("synchronous", 1), ("threads", 3), ("threads", 10_000)]
)
def test_same_documents_events_and_problems_as_one_process(
    coder: Coder, corpus: list[str], scheduler: str, partition_size: int
) -> None:
    documents, events, problems = _single_process(coder, corpus)
    assert len(documents) == 18 and len(events) > 50
    assert "paper~2" in {d.doc_id for d in documents}
    seen: list[ReadProblem] = []
    batches = list(
        code_distributed(
            corpus, scheduler=scheduler, workers=2, partition_size=partition_size, on_error=seen.append
        )
    )
    got_documents = [d for batch in batches for d in batch.documents]
    got_events = [e for batch in batches for e in batch.events]
    assert _documents_key(got_documents) == _documents_key(documents)
    # dataclass equality: every field, the evidence in `extra` too
    assert got_events == events
    assert {str(p) for p in seen} == problems
    if partition_size == 1:
        assert len(batches) == len(documents)
    if partition_size > len(documents):
        assert len(batches) == 1


def test_jsonl_is_split_into_line_ranges(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    records = [
        json.dumps({"id": f"r{n}", "text": f"Iran and Pakistan held talks number {n}."}) for n in range(7)
    ]
    path.write_text("\n".join(records) + "\n\n", encoding="utf-8")
    problems: list[ReadProblem] = []
    plan = list(plan_partitions([path], partition_size=3, options=ReadOptions(), on_error=problems.append))
    assert [(p.jsonl.first_line, p.jsonl.lines) for p in plan if p.jsonl] == [(1, 3), (4, 3), (7, 2)]
    read = [[d.doc_id for d, _ in read_partition(p, ReadOptions(), problems.append)] for p in plan]
    assert read == [["r0", "r1", "r2"], ["r3", "r4", "r5"], ["r6"]]
    assert problems == []
    # a file of one partition is read whole by read_paths
    (whole,) = plan_partitions([path], partition_size=100, options=ReadOptions(), on_error=problems.append)
    assert whole.jsonl is None and whole.inputs == (str(path),)


def test_jsonl_without_readable_records_is_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"title": "no text"}\n' * 5, encoding="utf-8")
    problems: list[ReadProblem] = []
    batches = list(
        code_distributed([path], scheduler="synchronous", partition_size=2, on_error=problems.append)
    )
    assert batches == []
    assert sum("no readable documents" in str(p) for p in problems) == 1
    assert sum("no 'text' field" in str(p) for p in problems) == 5


def test_unknown_scheduler_and_bad_sizes_are_refused() -> None:
    from detente.errors import InputError

    with pytest.raises(InputError, match="--scheduler 'cluster'"):
        Cluster("cluster")
    with pytest.raises(InputError, match="--workers 0"):
        Cluster("threads", 0)
    with pytest.raises(InputError, match="--partition-size 0"):
        list(code_distributed(["x.txt"], scheduler="synchronous", partition_size=0))


def test_worker_processes_code_as_one_process(coder: Coder, tmp_path: Path) -> None:
    """Two spawned worker processes, each loading its coder once, used for coding and two ingests."""
    documents, events, _ = _single_process(coder, [str(sample_path())])
    db = tmp_path / "processes.duckdb"
    report = ScaleReport()
    with Cluster("processes", 2) as cluster:
        batches = list(code_distributed([sample_path()], cluster=cluster, partition_size=4, report=report))
        assert [d.doc_id for b in batches for d in b.documents] == [d.doc_id for d in documents]
        assert [e for b in batches for e in b.events] == events
        first = ingest_distributed([sample_path()], db, cluster=cluster, partition_size=10)
        # the second run's workers map the store's digests from a file and skip every document
        again = ingest_distributed([sample_path()], db, cluster=cluster, partition_size=10)
    # five partitions on two processes: each process loaded its model once, and not again later
    assert report.partitions == 5 and 1 <= len(report.workers) <= 2
    assert report.coders_built == len(report.workers)
    assert first.coders_built == 0 and len(report.workers | first.workers) <= 2
    assert first.ingest.documents_added == 20 and first.sentences > 100
    assert again.ingest.documents_skipped == 20 and again.sentences == 0


def test_one_file_name_in_many_folders_gets_read_paths_ids(coder: Coder, tmp_path: Path) -> None:
    """index.txt in every dated folder: ids index, index~2, ... in input order, as in one stream."""
    texts = [
        "Iran recalled its ambassador from Pakistan.",
        "Pakistan expelled the Iranian envoy.",
        "Iran and Pakistan agreed to restore ties.",
        "China urged Iran and Pakistan to show restraint.",
        "Pakistan thanked China for its mediation.",
    ]
    for day, text in enumerate(texts, start=16):
        folder = tmp_path / f"2024-01-{day}"
        folder.mkdir()
        (folder / "index.txt").write_text(f"Published: 2024-01-{day}\n\n{text}\n", encoding="utf-8")
    documents, events, problems = _single_process(coder, [str(tmp_path)])
    assert [d.doc_id for d in documents] == ["index", "index~2", "index~3", "index~4", "index~5"]
    seen: list[ReadProblem] = []
    batches = list(
        code_distributed([tmp_path], scheduler="synchronous", partition_size=2, on_error=seen.append)
    )
    assert _documents_key([d for b in batches for d in b.documents]) == _documents_key(documents)
    assert [e for b in batches for e in b.events] == events
    assert {str(p) for p in seen} == problems


def test_worker_process_ends_when_its_client_is_gone() -> None:
    """A worker whose parent is not the client it was started for (the client was killed) exits."""
    import subprocess
    import sys

    # without the watchdog the script sleeps 60 s and the run times out
    script = "import time; from detente.scale.worker import start_worker_process as s; s(-1); time.sleep(60)"
    finished = subprocess.run([sys.executable, "-c", script], timeout=30, check=False)
    assert finished.returncode == 1
