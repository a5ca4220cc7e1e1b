"""GDELT downloads against a local HTTP server on 127.0.0.1: file lists, resume, MD5, skipping."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from detente.errors import InputError
from detente.importers.download import download, list_files
from detente.store import Store

pytestmark = [pytest.mark.network, pytest.mark.shared]


class FileServer:
    """Serves ``files`` (name -> bytes) with HTTP Range support and records what was asked."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.requests: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                name = self.path.rsplit("/", 1)[-1]
                server.requests.append((name, self.headers.get("Range")))
                body = server.files.get(name)
                if body is None:
                    self.send_error(404)
                    return
                start = 0
                if self.headers.get("Range", "").startswith("bytes="):
                    start = int(self.headers["Range"][6:].split("-")[0])
                    if start >= len(body):
                        self.send_response(416)
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                self.wfile.write(body[start:])

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/gdeltv2/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def fetched(self, name: str) -> list[str | None]:
        return [rng for requested, rng in self.requests if requested == name]


@pytest.fixture
def server() -> Iterator[FileServer]:
    files = FileServer()
    files.thread.start()
    yield files
    files.httpd.shutdown()


def zipped(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def gdelt2_lines(shared_dir: Path) -> list[bytes]:
    return (shared_dir / "data" / "real" / "gdelt2_20191024143000.export.CSV").read_bytes().splitlines(True)


def publish(
    server: FileServer, lines: list[bytes], stamps: list[str], *, wrong_md5: str | None = None
) -> None:
    """Split the real export into one 15-minute file per stamp and list them in masterfilelist.txt."""
    share = len(lines) // len(stamps)
    listing = []
    for number, stamp in enumerate(stamps):
        name = f"{stamp}.export.CSV.zip"
        body = zipped(f"{stamp}.export.CSV", b"".join(lines[number * share : (number + 1) * share]))
        server.files[name] = body
        md5 = "0" * 32 if stamp == wrong_md5 else hashlib.md5(body).hexdigest()
        listing.append(f"{len(body)} {md5} http://data.gdeltproject.org/gdeltv2/{name}")
        listing.append(f"{len(body)} {md5} http://data.gdeltproject.org/gdeltv2/{stamp}.gkg.csv.zip")
    listing.insert(1, "93751 truncated-line")  # the real list has a few of these
    server.files["masterfilelist.txt"] = ("\n".join(listing) + "\n").encode()


STAMPS = ["20191023234500", "20191024000000", "20191024001500", "20191025000000"]


def test_file_list_selects_days_and_tables(server: FileServer, gdelt2_lines: list[bytes]) -> None:
    publish(server, gdelt2_lines, STAMPS)
    files = list_files("gdelt2", dt.date(2019, 10, 24), dt.date(2019, 10, 24), base_url=server.base)
    assert [f.name for f in files] == [f"{s}.export.CSV.zip" for s in STAMPS[1:3]]
    assert all(f.url.startswith(server.base) and f.md5 and len(f.md5) == 32 for f in files)


def test_download_imports_resumes_and_skips(
    server: FileServer, gdelt2_lines: list[bytes], tmp_path: Path
) -> None:
    publish(server, gdelt2_lines, STAMPS)
    store = Store(tmp_path / "events.duckdb")
    folder = tmp_path / "downloads"
    folder.mkdir()
    # An earlier run died half-way through the second file.
    second = f"{STAMPS[2]}.export.CSV.zip"
    (folder / (second + ".part")).write_bytes(server.files[second][:1000])
    report = download("gdelt2", dt.date(2019, 10, 24), dt.date(2019, 10, 25), store,
                      base_url=server.base, folder=folder)  # fmt: skip
    assert report.failures == [] and report.listed == 3
    assert server.fetched(second) == ["bytes=1000-"]
    share = len(gdelt2_lines) // len(STAMPS)
    assert report.imported is not None and report.imported.rows_stored == 3 * share
    assert store.query("SELECT count(*) AS n FROM events")["n"].item() == 3 * share
    assert list(folder.iterdir()) == []  # imported files are not kept
    server.requests.clear()
    again = download("gdelt2", dt.date(2019, 10, 24), dt.date(2019, 10, 25), store,
                     base_url=server.base, folder=folder)  # fmt: skip
    assert again.already_imported == 3
    assert [name for name, _ in server.requests] == ["masterfilelist.txt"]


def test_md5_mismatch_is_reported_and_nothing_of_that_file_stored(
    server: FileServer, gdelt2_lines: list[bytes], tmp_path: Path
) -> None:
    publish(server, gdelt2_lines, STAMPS, wrong_md5=STAMPS[1])
    store = Store(tmp_path / "events.duckdb")
    report = download("gdelt2", dt.date(2019, 10, 24), dt.date(2019, 10, 24), store, base_url=server.base,
                      folder=tmp_path / "dl")  # fmt: skip
    assert len(report.failures) == 1 and "MD5" in report.failures[0]
    assert len(server.fetched(f"{STAMPS[1]}.export.CSV.zip")) == 2  # fetched again once before giving up
    locations = set(store.query("SELECT location FROM sources")["location"])
    assert locations == {f"{server.base}{STAMPS[2]}.export.CSV.zip!{STAMPS[2]}.export.CSV"}


def test_gdelt1_daily_files_from_md5sums(server: FileServer, shared_dir: Path, tmp_path: Path) -> None:
    rows = (shared_dir / "data" / "real" / "gdelt1_events_sample_reed9999.tsv").read_bytes().splitlines(True)
    daily = [row for row in rows if row.count(b"\t") == 57]
    body = zipped("20160728.export.CSV", b"".join(daily))
    server.files["20160728.export.CSV.zip"] = body
    server.files["md5sums"] = f"{hashlib.md5(body).hexdigest()}  20160728.export.CSV.zip\n".encode()
    store = Store(tmp_path / "events.duckdb")
    report = download("gdelt1", dt.date(2016, 7, 28), dt.date(2016, 7, 28), store, base_url=server.base,
                      folder=tmp_path / "dl")  # fmt: skip
    assert report.imported is not None and report.imported.rows_stored == len(daily)


def test_missing_file_list_is_one_clear_error(server: FileServer, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"masterfilelist\.txt: not found"):
        download("gdelt2", dt.date(2019, 10, 24), dt.date(2019, 10, 24), Store(tmp_path / "e.duckdb"),
                 base_url=server.base)  # fmt: skip


def test_cli_download_with_base_url(server: FileServer, gdelt2_lines: list[bytes], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from detente.cli import app

    publish(server, gdelt2_lines, STAMPS, wrong_md5=STAMPS[2])
    db = tmp_path / "cli.duckdb"
    args = ["import", "gdelt2", "--from", "2019-10-24", "--to", "2019-10-24", "--base-url", server.base]
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    # One file imports, the corrupted one is named and the command fails so scripts notice.
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError) and "1 of 2 files failed" in str(result.exception)
    assert "MD5 differs" in result.stderr
    assert len(Store(db, read_only=True).events()) == len(gdelt2_lines) // len(STAMPS)
