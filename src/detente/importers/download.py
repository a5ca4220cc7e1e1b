"""Download GDELT files from the published file lists and import them: resumable and MD5-checked.

* GDELT 2.0: ``masterfilelist.txt`` lists every 15-minute file as ``<bytes> <md5> <url>``.
* GDELT 1.0: the events folder publishes ``md5sums`` (``<md5>  <file name>``) beside daily
  ``YYYYMMDD.export.CSV.zip`` files (from 2013-04-01), monthly ``YYYYMM.zip`` (2006-01..2013-03) and
  yearly ``YYYY.zip`` (1979..2005); when ``md5sums`` is missing its ``index.html`` links are used, unchecked.

The base URL is configurable so a mirror (or a test server) stands in for data.gdeltproject.org; file
names in the lists are resolved against it. A file already imported (same URL, status done) is not
fetched again; a partial download (``*.part`` in the download folder) resumes with an HTTP Range request;
a file whose MD5 differs from the published one is deleted, fetched once more, and reported if it still
differs. Each file is imported in its own transaction, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import httpx

from detente.errors import InputError
from detente.importers.bulk import FileReport, ImportReport, import_files
from detente.store import Store

__all__ = ["DEFAULT_BASE_URLS", "DownloadReport", "RemoteFile", "download", "list_files"]

DEFAULT_BASE_URLS = {
    "gdelt1": "http://data.gdeltproject.org/events/",
    "gdelt2": "http://data.gdeltproject.org/gdeltv2/",
}
_GDELT2_NAME = re.compile(r"(\d{14})\.(export|mentions)\.CSV\.zip$")
_GDELT1_NAME = re.compile(r"^(\d{8})\.export\.CSV\.zip$|^(\d{6})\.zip$|^(\d{4})\.zip$")


@dataclass(frozen=True, slots=True)
class RemoteFile:
    url: str
    name: str
    kind: str  # the import format: gdelt1, gdelt2 or gdelt2-mentions
    md5: str | None
    size: int | None


@dataclass(slots=True)
class DownloadReport:
    kind: str
    listed: int = 0
    already_imported: int = 0
    imported: ImportReport | None = None
    failures: list[str] = field(default_factory=list)


def _base(base_url: str) -> str:
    return base_url if base_url.endswith("/") else base_url + "/"


def _get_text(client: httpx.Client, url: str) -> str | None:
    try:
        response = client.get(url)
    except httpx.HTTPError as error:
        raise InputError(f"{url}: cannot be fetched ({error})") from None
    if response.status_code == 404:
        return None
    if response.status_code >= 400:
        raise InputError(f"{url}: HTTP {response.status_code}")
    return response.text


def _stream_lines(client: httpx.Client, url: str, hint: str) -> Iterator[str]:
    """Lines of a text file read as they arrive: GDELT 2.0's master list runs to ~100 MB."""
    try:
        with client.stream("GET", url) as response:
            if response.status_code == 404:
                raise InputError(f"{url}: not found ({hint})")
            if response.status_code >= 400:
                raise InputError(f"{url}: HTTP {response.status_code}")
            yield from response.iter_lines()
    except httpx.HTTPError as error:
        raise InputError(f"{url}: cannot be fetched ({error})") from None


def list_files(
    kind: str,
    start: dt.date,
    end: dt.date,
    *,
    base_url: str | None = None,
    mentions: bool = False,
    client: httpx.Client | None = None,
) -> list[RemoteFile]:
    """The published files of ``kind`` whose period overlaps ``start``..``end`` (inclusive), oldest first."""
    if kind not in DEFAULT_BASE_URLS:
        raise InputError(f"download: {kind!r} has no public file list (expected gdelt1 or gdelt2)")
    if end < start:
        raise InputError(f"download: --to {end} is before --from {start}")
    base = _base(base_url or DEFAULT_BASE_URLS[kind])
    own = client is None
    http = client or httpx.Client(timeout=60, follow_redirects=True)
    try:
        if kind == "gdelt2":
            return _list_gdelt2(http, base, start, end, mentions)
        return _list_gdelt1(http, base, start, end)
    finally:
        if own:
            http.close()


def _list_gdelt2(
    client: httpx.Client, base: str, start: dt.date, end: dt.date, mentions: bool
) -> list[RemoteFile]:
    url = urljoin(base, "masterfilelist.txt")
    files: list[RemoteFile] = []
    for line in _stream_lines(client, url, "is --base-url a GDELT 2.0 folder?"):
        parts = line.split()
        # The real list has the odd truncated line; one bad line must not stop a download.
        if len(parts) != 3:
            continue
        size, md5, listed = parts
        name = listed.rsplit("/", 1)[-1]
        match = _GDELT2_NAME.search(name)
        if match is None or ".translation." in name:
            continue
        table = match.group(2)
        if table == "mentions" and not mentions:
            continue
        day = dt.datetime.strptime(match.group(1)[:8], "%Y%m%d").date()
        if start <= day <= end:
            kind = "gdelt2" if table == "export" else "gdelt2-mentions"
            files.append(
                RemoteFile(
                    urljoin(base, name), name, kind, md5.lower(), int(size) if size.isdigit() else None
                )
            )
    # Events before mentions of the same update, so a mention's event is stored first.
    return sorted(files, key=lambda f: (f.name[:14], f.kind != "gdelt2"))


def _gdelt1_period(name: str) -> tuple[dt.date, dt.date] | None:
    match = _GDELT1_NAME.match(name)
    if match is None:
        return None
    daily, monthly, yearly = match.groups()
    if daily:
        day = dt.datetime.strptime(daily, "%Y%m%d").date()
        return day, day
    if monthly:
        first = dt.datetime.strptime(monthly, "%Y%m").date()
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return first, following - dt.timedelta(days=1)
    year = int(yearly)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _list_gdelt1(client: httpx.Client, base: str, start: dt.date, end: dt.date) -> list[RemoteFile]:
    names: dict[str, str | None] = {}
    md5_text = _get_text(client, urljoin(base, "md5sums"))
    if md5_text is not None:
        for line in md5_text.splitlines():
            parts = line.split()
            if len(parts) == 2:
                names[parts[1].lstrip("*")] = parts[0].lower()
    else:
        index = _get_text(client, urljoin(base, "index.html"))
        if index is None:
            raise InputError(
                f"{base}: neither md5sums nor index.html found (is --base-url a GDELT 1.0 folder?)"
            )
        for link in re.findall(r'href="([^"]+)"', index):
            names.setdefault(link.rsplit("/", 1)[-1], None)
    files = []
    for name, md5 in names.items():
        period = _gdelt1_period(name)
        if period is not None and period[0] <= end and period[1] >= start:
            files.append(RemoteFile(urljoin(base, name), name, "gdelt1", md5, None))
    return sorted(files, key=lambda f: f.name)


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(client: httpx.Client, remote: RemoteFile, folder: Path) -> Path:
    """Download ``remote`` into ``folder``, resuming a ``.part`` file; verify the published MD5."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / remote.name
    if final.exists() and (remote.md5 is None or _md5(final) == remote.md5):
        return final
    final.unlink(missing_ok=True)
    for attempt in (1, 2):
        partial = folder / (remote.name + ".part")
        offset = partial.stat().st_size if partial.exists() else 0
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        try:
            with client.stream("GET", remote.url, headers=headers) as response:
                if response.status_code == 416:  # the part is already complete
                    pass
                elif response.status_code >= 400:
                    raise InputError(f"{remote.url}: HTTP {response.status_code}")
                else:
                    # A server that ignores Range sends the whole file again: start over.
                    mode = "ab" if response.status_code == 206 else "wb"
                    with partial.open(mode) as sink:
                        for chunk in response.iter_bytes(1 << 20):
                            sink.write(chunk)
        except httpx.HTTPError as error:
            raise InputError(f"{remote.url}: download interrupted ({error}); rerun to resume") from None
        if remote.md5 is None or _md5(partial) == remote.md5:
            partial.replace(final)
            return final
        partial.unlink(missing_ok=True)
        if attempt == 2:
            raise InputError(f"{remote.url}: MD5 differs from the published {remote.md5} (fetched twice)")
    raise AssertionError("unreachable")


def download(
    kind: str,
    start: dt.date,
    end: dt.date,
    store: Store,
    *,
    base_url: str | None = None,
    mentions: bool = False,
    folder: Path | None = None,
    keep_files: bool = False,
    on_file: Callable[[RemoteFile, FileReport | None], None] | None = None,
    on_listed: Callable[[int], None] | None = None,
) -> DownloadReport:
    """Fetch and import every ``kind`` file published for ``start``..``end``; see the module docstring."""
    folder = folder or store.path.with_name(store.path.name + ".downloads")
    report = DownloadReport(kind)
    with httpx.Client(timeout=120, follow_redirects=True) as client:
        remote_files = list_files(kind, start, end, base_url=base_url, mentions=mentions, client=client)
        report.listed = len(remote_files)
        if on_listed is not None:
            on_listed(len(remote_files))
        done = {
            row[0]
            for row in store.connect()
            .execute(
                "SELECT location FROM sources WHERE status = 'done'"
                " AND kind IN ('gdelt1', 'gdelt2', 'gdelt2-mentions')"
            )
            .fetchall()
        }
        store.release()  # readers may use the file while files download
        imported = ImportReport(kind)
        for remote in remote_files:
            if any(location == remote.url or location.startswith(remote.url + "!") for location in done):
                report.already_imported += 1
                if on_file is not None:
                    on_file(remote, None)
                continue
            try:
                local = fetch(client, remote, folder)
                result = import_files(remote.kind, [local], store, version=remote.md5, names=[remote.url])
            except InputError as error:
                report.failures.append(str(error))
                if on_file is not None:
                    on_file(remote, None)
                continue
            imported.files.extend(result.files)
            if not keep_files:
                local.unlink(missing_ok=True)
            if on_file is not None:
                on_file(remote, result.files[0] if result.files else None)
        report.imported = imported
    return report
