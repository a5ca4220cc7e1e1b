"""Reading speed of `detente.sources.read_paths` per input kind, against baselines in the same process.

    python benchmarks/sources_reading_speed.py [--documents N] [--rounds R]

Inputs are written to a temporary folder from the bundled sample's articles (our own text), N of each:
HTML pages wrapped in the boilerplate of a real news page (head metadata, scripts, a navigation bar with
dozens of links, a sidebar, a footer), .txt files, and one JSONL file of N lines. Figures: documents/s
and MB/s for each kind, and for HTML two baselines on the same bytes: `trafilatura.extract` alone (what
any reader built on trafilatura pays; the ratio is detente's overhead for dates, titles and checks) and
a bare lxml parse with `text_content()` (the floor of any HTML reader, which extracts no article).
One core: the readers are single-threaded.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
import trafilatura

from detente.sources import ReadReport, read_paths, sample_documents

NAV = "".join(f'<li><a href="/section/{n}">Section {n}</a></li>' for n in range(40))
SIDEBAR = "".join(f'<li><a href="/story/{n}">Most read story {n} of the day</a></li>' for n in range(15))


def page(title: str, text: str, published: str) -> str:
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in text.split("\n") if paragraph.strip())
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Example News</title>
<meta property="article:published_time" content="{published}T08:00:00Z">
<meta name="viewport" content="width=device-width"><link rel="stylesheet" href="/site.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</head><body><header><div class="logo">Example News</div><nav><ul>{NAV}</ul></nav></header>
<main><article><h1>{title}</h1><div class="byline">By a staff writer</div>{paragraphs}</article>
<aside><h2>Most read</h2><ul>{SIDEBAR}</ul></aside></main>
<footer><p>Example News is not responsible for the content of external sites.</p>
<p>Copyright Example News. All rights reserved.</p></footer></body></html>"""


def build(folder: Path, count: int) -> dict[str, list[Path]]:
    articles = sample_documents()
    (folder / "html").mkdir()
    (folder / "txt").mkdir()
    html_paths, txt_paths = [], []
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as corpus:
        for number in range(count):
            article = articles[number % len(articles)]
            published = article.published.isoformat() if article.published else "2024-01-01"
            html_path = folder / "html" / f"page{number:06d}.html"
            html_path.write_text(page(article.title or "", article.text, published), encoding="utf-8")
            html_paths.append(html_path)
            txt_path = folder / "txt" / f"story{number:06d}.txt"
            txt_path.write_text(f"{article.title}\n\n{article.text}\n", encoding="utf-8")
            txt_paths.append(txt_path)
            record = {"id": f"doc{number}", "published": published, "title": article.title}
            record["text"] = article.text
            corpus.write(json.dumps(record) + "\n")
    return {"html": html_paths, "txt": txt_paths, "jsonl": [folder / "corpus.jsonl"]}


def timed(work: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    count = work()
    return time.perf_counter() - started, count


def read_count(paths: list[Path]) -> int:
    report = ReadReport()
    count = sum(1 for _ in read_paths(paths, on_error=report))
    if report.problems:
        raise SystemExit("benchmark input unreadable: " + "; ".join(report.lines()[:3]))
    return count


def trafilatura_only(paths: list[Path]) -> int:
    return sum(1 for path in paths if trafilatura.extract(path.read_bytes()))


def lxml_only(paths: list[Path]) -> int:
    return sum(1 for path in paths if lxml.html.fromstring(path.read_bytes()).text_content())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=1000, help="documents of each kind (default 1000)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating rounds; the best counts (default 3)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inputs = build(Path(tmp), args.documents)
        read_count(inputs["html"][:20])  # warm-up: imports, lazy tables
        sizes = {kind: sum(path.stat().st_size for path in paths) for kind, paths in inputs.items()}
        print(f"{args.documents} documents of each kind, one core, best of {args.rounds} rounds")
        print(f"{'reader':<34} {'docs/s':>9} {'MB/s':>7}")
        work: list[tuple[str, str, Callable[[], int]]] = [
            ("detente HTML (text, title, date)", "html", lambda: read_count(inputs["html"])),
            ("  baseline: trafilatura.extract", "html", lambda: trafilatura_only(inputs["html"])),
            ("  baseline: lxml parse only", "html", lambda: lxml_only(inputs["html"])),
            ("detente .txt", "txt", lambda: read_count(inputs["txt"])),
            ("detente JSONL", "jsonl", lambda: read_count(inputs["jsonl"])),
        ]
        # Rounds alternate the readers and the best round counts, so that load from other
        # processes on a shared machine hits every reader alike and skews no ratio.
        best: dict[str, float] = {}
        for _ in range(args.rounds):
            for label, _kind, run in work:
                seconds, count = timed(run)
                if count != args.documents:
                    raise SystemExit(f"{label}: read {count} of {args.documents} documents")
                best[label] = min(best.get(label, seconds), seconds)
        results: dict[str, float] = {}
        for label, kind, _run in work:
            results[label] = args.documents / best[label]
            print(f"{label:<34} {results[label]:>9.0f} {sizes[kind] / best[label] / 1e6:>7.1f}")
        html = results["detente HTML (text, title, date)"]
        extract_only = results["  baseline: trafilatura.extract"]
        parse_only = results["  baseline: lxml parse only"]
        print(f"HTML: detente / trafilatura.extract = {html / extract_only:.2f}")
        print(f"HTML: detente / lxml parse only     = {html / parse_only:.2f}")


if __name__ == "__main__":
    main()
