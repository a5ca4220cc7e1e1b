"""Every kind of bad input becomes one ReadProblem naming the input, and the rest of the batch is read."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path

import pytest

from detente.errors import InputError
from detente.sources import MAX_DOCUMENT_BYTES, ReadReport, read_feed, read_paths

ARTICLE = (
    "Turkey's president met Russia's president in St Petersburg on Tuesday, their first meeting since the "
    "downing of a Russian warplane near the Syrian border. The two leaders agreed to restore trade and to "
    "revive energy projects that had been frozen for months."
)


def read_with_good_neighbour(tmp_path: Path, bad: Path) -> tuple[list[str], ReadReport]:
    """Read ``bad`` between two good files: the good ones must survive whatever ``bad`` is."""
    first = tmp_path / "good1.txt"
    last = tmp_path / "good2.txt"
    first.write_text(ARTICLE, encoding="utf-8")
    last.write_text(ARTICLE, encoding="utf-8")
    report = ReadReport()
    ids = [doc.doc_id for doc in read_paths([first, bad, last], on_error=report)]
    return ids, report


def only_problem(report: ReadReport, bad: Path | str) -> str:
    assert len(report.problems) == 1, report.lines()
    [problem] = report.problems
    assert problem.input == str(bad)
    assert problem.skipped
    assert "\n" not in str(problem)
    return problem.problem


def test_missing_path(tmp_path: Path) -> None:
    bad = tmp_path / "nowhere.txt"
    ids, report = read_with_good_neighbour(tmp_path, bad)
    assert ids == ["good1", "good2"]
    assert only_problem(report, bad) == "no such file or directory"


@pytest.mark.parametrize("suffix", [".txt", ".html", ".jsonl", ".rss"])
def test_empty_file(tmp_path: Path, suffix: str) -> None:
    bad = tmp_path / f"empty{suffix}"
    bad.write_bytes(b"")
    ids, report = read_with_good_neighbour(tmp_path, bad)
    assert ids == ["good1", "good2"]
    assert only_problem(report, bad) == "empty file"


def test_whitespace_only_file(tmp_path: Path) -> None:
    bad = tmp_path / "blank.txt"
    bad.write_text("  \n\n\t\n", encoding="utf-8")
    _, report = read_with_good_neighbour(tmp_path, bad)
    assert "only whitespace" in only_problem(report, bad)


@pytest.mark.parametrize("suffix", [".txt", ".html", ".jsonl", ".xml"])
def test_binary_file(tmp_path: Path, suffix: str) -> None:
    bad = tmp_path / f"image{suffix}"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    ids, report = read_with_good_neighbour(tmp_path, bad)
    assert ids == ["good1", "good2"]
    assert only_problem(report, bad).startswith("binary file")


def test_invalid_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(ARTICLE.replace("St Petersburg", "Saint-P\xe9tersbourg").encode("latin-1"))
    ids, report = read_with_good_neighbour(tmp_path, bad)
    assert ids == ["good1", "good2"]
    problem = only_problem(report, bad)
    assert problem.startswith("not valid UTF-8 (byte 0xe9 at offset")


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_100_mb_file_is_refused_without_reading_it(tmp_path: Path, suffix: str) -> None:
    bad = tmp_path / f"huge{suffix}"
    with bad.open("wb") as handle:  # sparse: instant, and no disk used
        handle.truncate(100 * 1024 * 1024)
    tracemalloc.start()
    try:
        ids, report = read_with_good_neighbour(tmp_path, bad)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ids == ["good1", "good2"]
    problem = only_problem(report, bad)
    assert "100.0 MB" in problem and "limit" in problem
    assert peak < 8 * 1024 * 1024


def test_100_mb_jsonl_is_streamed_and_an_overlong_line_is_skipped(tmp_path: Path) -> None:
    bad = tmp_path / "big.jsonl"
    good_line = json.dumps({"id": "kept", "text": ARTICLE}) + "\n"
    with bad.open("wb") as handle:
        handle.write(good_line.encode())
        handle.write(b'{"id": "huge", "text": "')
        handle.write(b"a " * ((100 * 1024 * 1024) // 2))
        handle.write(b'"}\n')
        handle.write(json.dumps({"id": "after", "text": ARTICLE}).encode() + b"\n")
    tracemalloc.start()
    try:
        report = ReadReport()
        ids = [doc.doc_id for doc in read_paths([bad], on_error=report)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ids == ["kept", "after"]
    assert [p.input for p in report.problems] == [f"{bad}:2"]
    assert "longer than" in report.problems[0].problem
    # Memory is bounded by the per-line limit (a read buffer and one copy), not by the file's 100 MB.
    assert peak < 3 * MAX_DOCUMENT_BYTES


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("پاکستان اور ایران نے اپنے سفیروں کو واپس بھیجنے پر اتفاق کیا۔ " * 5, "not Latin script"),
        ("Пакистан и Иран договорились вернуть послов в столицы на этой неделе. " * 5, "not Latin script"),
        (
            "Le Pakistan et l'Iran ont convenu lundi que leurs ambassadeurs regagneraient leurs postes d'ici "
            "vendredi, ont indiqué les ministères des affaires étrangères des deux pays dans une déclaration "
            "commune publiée après une semaine de frappes à travers leur frontière.",
            "common English words",
        ),
        (
            "Pakistan und Iran haben sich am Montag darauf geeinigt, dass ihre Botschafter bis Freitag "
            "auf ihre Posten zurückkehren, teilten die Außenministerien beider Länder in einer "
            "gemeinsamen Erklärung mit, nachdem es eine Woche lang Angriffe über die Grenze gegeben hatte.",
            "common English words",
        ),
    ],
)
def test_non_english_text_is_skipped(tmp_path: Path, text: str, reason: str) -> None:
    bad = tmp_path / "foreign.txt"
    bad.write_text(text, encoding="utf-8")
    ids, report = read_with_good_neighbour(tmp_path, bad)
    assert ids == ["good1", "good2"]
    problem = only_problem(report, bad)
    assert problem.startswith("not English") and reason in problem


def test_english_with_foreign_names_and_quotes_passes(tmp_path: Path) -> None:
    text = (
        ARTICLE + " The operation was called Marg Bar Sarmachar (مرگ بر سرمچار), and officials in "
        "Sistan-Baluchestan, Khyber Pakhtunkhwa and São Paulo commented on it."
    )
    path = tmp_path / "mixed.txt"
    path.write_text(text, encoding="utf-8")
    report = ReadReport()
    assert [d.doc_id for d in read_paths([path], on_error=report)] == ["mixed"]
    assert report.problems == []


def test_html_without_article(tmp_path: Path) -> None:
    bad = tmp_path / "index.html"
    bad.write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        "<div class='cookie'>We use cookies.</div></body></html>",
        encoding="utf-8",
    )
    ids, report = read_with_good_neighbour(tmp_path, bad)
    assert ids == ["good1", "good2"]
    assert only_problem(report, bad).startswith("no article text found in the HTML")


def test_malformed_jsonl_lines_report_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "one", "text": ARTICLE}),
        '{"id": "two", "text": "unterminated',
        "[1, 2, 3]",
        json.dumps({"id": "four"}),
        json.dumps({"id": "five", "text": "   "}),
        json.dumps({"id": "six", "text": ARTICLE}),
    ]
    raw = "\n".join(lines).encode() + b"\n" + b'{"id": "seven", "text": "caf\xe9"}\n'
    path.write_bytes(raw)
    report = ReadReport()
    ids = [doc.doc_id for doc in read_paths([path], on_error=report)]
    assert ids == ["one", "six"]
    assert [(p.input, p.problem.split(" (")[0]) for p in report.problems] == [
        (f"{path}:2", "not valid JSON"),
        (f"{path}:3", "expected a JSON object, found list"),
        (f"{path}:4", "no 'text' field"),
        (f"{path}:5", "'text' is empty or not a string"),
        (f"{path}:7", "not valid UTF-8"),
    ]


def test_jsonl_with_nothing_readable_is_reported_as_a_whole(tmp_path: Path) -> None:
    path = tmp_path / "junk.jsonl"
    path.write_text("not json\n", encoding="utf-8")
    report = ReadReport()
    assert list(read_paths([path], on_error=report)) == []
    assert [p.input for p in report.problems] == [f"{path}:1", str(path)]


@pytest.mark.parametrize(
    "content",
    [
        "<html><body><p>This is a web page, not a feed.</p></body></html>",
        '<?xml version="1.0"?><urlset><url><loc>https://example.org/</loc></url></urlset>',
        "plain words, no markup at all",
    ],
)
def test_feed_that_is_not_a_feed(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "news.rss"
    bad.write_text(content, encoding="utf-8")
    ids, report = read_with_good_neighbour(tmp_path, bad)
    assert ids == ["good1", "good2"]
    assert only_problem(report, bad).startswith("not an RSS or Atom feed")


def test_feed_without_entries(tmp_path: Path) -> None:
    bad = tmp_path / "empty.xml"
    bad.write_text('<rss version="2.0"><channel><title>Nothing yet</title></channel></rss>', encoding="utf-8")
    report = ReadReport()
    assert list(read_feed(bad, on_error=report)) == []
    assert only_problem(report, bad) == "feed has no entries"


def test_empty_directory(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    report = ReadReport()
    assert list(read_paths([folder], on_error=report)) == []
    assert "holds no .txt" in only_problem(report, folder)


def test_without_callback_the_first_problem_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere\.txt: no such file or directory"):
        list(read_paths([tmp_path / "nowhere.txt"]))


def test_a_single_path_string_is_one_input(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert [d.doc_id for d in read_paths(str(path))] == ["one"]


def test_stdin_above_the_limit_is_refused_after_reading_only_the_limit() -> None:
    stream = io.BytesIO(b"word " * 1000)
    report = ReadReport()
    assert list(read_paths(["-"], on_error=report, stdin=stream, max_bytes=1000)) == []
    assert stream.tell() == 1001
    assert only_problem(report, "<stdin>") == "input is larger than the 1000 bytes limit"


def test_empty_stdin() -> None:
    report = ReadReport()
    assert list(read_paths(["-"], on_error=report, stdin=io.BytesIO(b""))) == []
    assert only_problem(report, "<stdin>") == "empty input"


def test_gzip_bomb_is_refused_after_reading_the_limit(tmp_path: Path) -> None:
    import gzip

    bad = tmp_path / "bomb.txt.gz"
    with gzip.open(bad, "wb") as handle:
        for _ in range(100):  # 100 MB of text in about 100 kB
            handle.write(b"word " * (1024 * 1024 // 5))
    assert bad.stat().st_size < 1024 * 1024
    tracemalloc.start()
    try:
        ids, report = read_with_good_neighbour(tmp_path, bad)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ids == ["good1", "good2"]
    assert only_problem(report, bad) == "decompressed content is above the 16.0 MB limit for one document"
    assert peak < 3 * MAX_DOCUMENT_BYTES


def test_corrupt_and_truncated_gzip(tmp_path: Path) -> None:
    import gzip

    not_gzip = tmp_path / "fake.txt.gz"
    not_gzip.write_text(ARTICLE, encoding="utf-8")
    ids, report = read_with_good_neighbour(tmp_path, not_gzip)
    assert ids == ["good1", "good2"]
    assert only_problem(report, not_gzip).startswith("not a valid gzip file")

    lines = "".join(json.dumps({"id": f"t{n}", "text": ARTICLE}) + "\n" for n in range(2000))
    truncated = tmp_path / "cut.jsonl.gz"
    whole = gzip.compress(lines.encode())
    truncated.write_bytes(whole[: len(whole) // 2])
    report = ReadReport()
    docs = list(read_paths([truncated], on_error=report))
    assert 0 < len(docs) < 2000 and docs[0].doc_id == "t0"
    [problem] = report.problems
    assert problem.input == str(truncated)
    assert problem.problem == "gzip file is truncated; the lines before the damage were read"


def test_broken_symlink_and_device(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "deleted.txt")
    ids, report = read_with_good_neighbour(tmp_path, link)
    assert ids == ["good1", "good2"]
    assert only_problem(report, link) == "broken symbolic link"
    report = ReadReport()
    assert list(read_paths(["/dev/null"], on_error=report)) == []
    assert only_problem(report, "/dev/null") == "empty input"
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").symlink_to(folder / "missing.txt")
    report = ReadReport()
    assert [d.doc_id for d in read_paths([folder], on_error=report)] == ["a"]
    assert only_problem(report, folder / "b.txt") == "broken symbolic link"
