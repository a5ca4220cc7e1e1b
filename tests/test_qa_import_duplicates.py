"""The same GDELT events imported twice under another encoding (the .CSV after its .gz, a re-download) are
stored once: the file fingerprint cannot see it, the event and mention keys can."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

from detente.importers import import_files
from detente.store import Store


def _gz_copy(source: Path, target: Path) -> Path:
    with source.open("rb") as raw, gzip.open(target, "wb") as packed:
        shutil.copyfileobj(raw, packed)
    return target


def test_gdelt2_events_of_a_recompressed_file_are_not_stored_twice(shared_dir: Path, tmp_path: Path) -> None:
    plain = shared_dir / "data" / "real" / "gdelt2_20191024143000.export.CSV"
    packed = _gz_copy(plain, tmp_path / "copy.export.CSV.gz")
    with Store(tmp_path / "h.duckdb") as store:
        first = import_files("gdelt2", [plain], store)
        second = import_files("gdelt2", [packed], store)
        stored = store.query("SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM events")
        days = store.query("SELECT sum(events) AS n FROM event_days")
    assert first.rows_stored > 2000
    assert second.rows_stored == 0
    assert second.files[0].duplicates == first.rows_stored
    assert int(stored["n"][0]) == int(stored["ids"][0]) == first.rows_stored
    # The dyad-day aggregate (what the index reads) is not doubled either.
    assert int(days["n"][0]) <= first.rows_stored


def test_gdelt2_mentions_imported_again_are_not_stored_twice(shared_dir: Path, tmp_path: Path) -> None:
    plain = shared_dir / "data" / "real" / "gdelt2_mentions_20170701234500_sample_gdeltPyR.csv"
    packed = _gz_copy(plain, tmp_path / "mentions.csv.gz")
    with Store(tmp_path / "m.duckdb") as store:
        first = import_files("gdelt2-mentions", [plain], store)
        second = import_files("gdelt2-mentions", [packed], store)
        count = store.query("SELECT count(*) AS n FROM mentions")
    assert first.rows_stored > 1000
    assert second.rows_stored == 0 and second.files[0].duplicates == first.rows_stored
    assert int(count["n"][0]) == first.rows_stored
