"""Importing the real GDELT and ICEWS samples in ../shared, malformed rows, wrong formats, export."""

from __future__ import annotations

import csv
import zipfile
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.errors import InputError
from detente.importers import import_files
from detente.importers.bulk import country_from_name, gdelt_country_table, icews_sector, plover_roots
from detente.store import Store

pytestmark = pytest.mark.shared


@pytest.fixture
def real(shared_dir: Path) -> Path:
    return shared_dir / "data" / "real"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "events.duckdb")


def tab_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [line.rstrip("\n").split("\t") for line in handle if line.strip()]


def test_gdelt2_sample_imports_every_row_with_codes_as_strings(real: Path, store: Store) -> None:
    path = real / "gdelt2_20191024143000.export.CSV"
    rows = tab_rows(path)
    report = import_files("gdelt2", [path], store)
    assert report.rows_stored == len(rows) == 2111 and report.rows_rejected == 0
    stored = store.query("SELECT original_id, cameo, source_country, target_country, goldstein FROM events")
    by_id = stored.set_index("original_id")
    for row in rows[:200]:
        record = by_id.loc[row[0]]
        assert record["cameo"] == row[26]  # "040" keeps its zero
        assert record["goldstein"] == float(row[30])
    # State dyads only from state codes: regional pseudo-countries stay out.
    expected_pairs = Counter(
        (gdelt_country_table().get(r[7]), gdelt_country_table().get(r[17]))
        for r in rows if gdelt_country_table().get(r[7]) and gdelt_country_table().get(r[17])
    )  # fmt: skip
    got = store.query(
        "SELECT source_country, target_country, count(*) AS n FROM events"
        " WHERE source_country NOT IN ('IGO', 'NGO', 'MNC') AND target_country NOT IN ('IGO', 'NGO', 'MNC')"
        " GROUP BY ALL"
    )
    assert {(a, b): n for a, b, n in got.itertuples(index=False)} == dict(expected_pairs)
    assert store.query("SELECT count(*) AS n FROM events WHERE source_code = 'AFR'")["n"].item() > 0
    assert not store.query("SELECT 1 FROM events WHERE source_country IN ('AFR','EUR','SAF','SEA')").shape[0]
    # International bodies take the record's IGO pseudo-country, sector-free, the body in the text.
    first_eu = next(r for r in rows if r[5] == "IGOEUREEC")
    eu = store.query("SELECT * FROM events WHERE original_id = ?", [first_eu[0]]).iloc[0]
    assert (eu["source_country"], eu["source_sector"], eu["source_text"]) == ("IGO", "", first_eu[6])


def test_gdelt1_sample_mixes_57_and_58_columns(real: Path, store: Store) -> None:
    path = real / "gdelt1_events_sample_reed9999.tsv"
    widths = Counter(len(row) for row in tab_rows(path))
    assert set(widths) == {57, 58}
    report = import_files("gdelt1", [path], store)
    assert report.rows_stored == sum(widths.values()) and report.rows_rejected == 0
    with_url = store.query("SELECT count(source_url) AS n FROM events")["n"].item()
    assert with_url == widths[58]


def test_icews_sample_maps_names_sectors_and_intensity(real: Path, store: Store) -> None:
    path = real / "icews_events.2018.sample.tab"
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    report = import_files("icews", [path], store)
    assert report.rows_stored == len(records) == 3705
    usa_prk = sum(
        1 for r in records if r["Source Country"] == "United States" and r["Target Country"] == "North Korea"
    )
    assert len(store.events(dyad=("USA", "PRK"), directed=True, dataset="icews")) == usa_prk
    unresolved = {r["Source Country"] for r in records} - {"NA"}
    assert all(country_from_name(name) for name in unresolved)
    row = store.query("SELECT * FROM events WHERE original_id = '32889836'").iloc[0]
    assert (row["source_country"], row["source_sector"], row["cameo"], row["goldstein"]) == (
        "BGD",
        "DIP",
        "040",
        1.0,
    )


def test_icews_sector_precedence() -> None:
    assert icews_sector("Executive,Foreign Ministry,Government") == "DIP"
    assert icews_sector("Military,Government") == "MIL"
    assert icews_sector("Military Intelligence") == "SPY"
    assert icews_sector('"Insurgents,Separatists"') == "REB"
    assert icews_sector(None) == "" and icews_sector("Unspecified") == ""


def test_country_tables_cover_non_iso_gdelt_codes_and_icews_names() -> None:
    table = gdelt_country_table()
    assert table["ROM"] == "ROU" and table["ZAR"] == "COD" and table["IRN"] == "IRN"
    assert table["AFR"] is None and table["WST"] is None
    assert country_from_name("the former Yugoslav Republic of Macedonia") == "MKD"
    assert country_from_name("Russian Federation") == "RUS"
    assert country_from_name("Atlantis") is None


def test_reimport_is_skipped_and_zip_members_import(real: Path, store: Store, tmp_path: Path) -> None:
    path = real / "gdelt2_20191024143000.export.CSV"
    archive = tmp_path / "20191024143000.export.CSV.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.write(path, "20191024143000.export.CSV")
    first = import_files("gdelt2", [archive], store)
    assert first.rows_stored == 2111 and first.files[0].location.endswith("!20191024143000.export.CSV")
    again = import_files("gdelt2", [path, archive], store)
    assert again.files_skipped == 2
    assert store.query("SELECT count(*) AS n FROM events")["n"].item() == 2111


def test_malformed_rows_are_reported_with_their_lines(real: Path, store: Store, tmp_path: Path) -> None:
    lines = (real / "gdelt2_20191024143000.export.CSV").read_text(encoding="utf-8").splitlines()[:50]
    broken = list(lines)
    broken[3] += "\tone too many"  # line 4
    broken[9] = "\t".join(lines[9].split("\t")[:30])  # line 10: too few
    fields = lines[19].split("\t")
    fields[1] = "20191399"  # line 20: no such date
    broken[19] = "\t".join(fields)
    fields = lines[29].split("\t")
    fields[26] = "9X9"  # line 30: not a CAMEO code
    broken[29] = "\t".join(fields)
    path = tmp_path / "broken.export.CSV"
    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    report = import_files("gdelt2", [path], store)
    file_report = report.files[0]
    assert (file_report.rows_read, file_report.rows_stored, file_report.rows_rejected) == (50, 46, 4)
    assert [r.line for r in file_report.rejects] == [4, 10, 20, 30]
    assert "SQLDATE" in file_report.rejects[2].reason and "EventCode" in file_report.rejects[3].reason
    stored_rejects = store.query("SELECT line, location FROM rejects ORDER BY line")
    assert list(stored_rejects["line"]) == [4, 10, 20, 30] and set(stored_rejects["location"]) == {str(path)}


def test_a_file_of_another_format_is_refused_whole(real: Path, store: Store) -> None:
    with pytest.raises(InputError, match=r"not GDELT 2\.0 events.*20 tab-separated fields"):
        import_files("gdelt2", [real / "icews_events.2018.sample.tab"], store)
    with pytest.raises(InputError, match="not ICEWS"):
        import_files("icews", [real / "gdelt2_20191024143000.export.CSV"], store)
    with pytest.raises(InputError, match=r"not GDELT 1\.0"):
        import_files("gdelt1", [real / "gdelt2_20191024143000.export.CSV"], store)
    assert store.query("SELECT count(*) AS n FROM events")["n"].item() == 0


def test_gdelt2_mentions_sample(real: Path, store: Store) -> None:
    path = real / "gdelt2_mentions_20170701234500_sample_gdeltPyR.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        expected = sum(1 for _ in csv.DictReader(handle))
    report = import_files("gdelt2-mentions", [path], store)
    assert report.rows_stored == expected == 1635
    assert store.query("SELECT count(DISTINCT outlet) AS n FROM mentions")["n"].item() > 10


POLECAT_HEADER = [
    "Event ID", "Event Date", "Event Type", "Event Mode", "Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title",
    "Actor Name Raw", "Wikipedia Actor ID", "Recipient Name", "Recipient Country", "Recipient COW",
    "Primary Recipient Sector", "Recipient Sectors", "Recipient Title", "Recipient Name Raw",
    "Wikipedia Recipient ID", "Placename", "City", "District", "Province", "Country", "Latitude", "Longitude",
    "GeoNames ID", "Raw Placename", "Feature Type", "Source", "Publication Date", "Story People",
    "Story Organizations", "Story Locations", "Language", "Version",
]  # fmt: skip


@pytest.mark.parametrize("intensity_column", ["Intensity", "Event Intensity"])
def test_polecat_both_header_variants(tmp_path: Path, store: Store, intensity_column: str) -> None:
    header = [intensity_column if name == "Intensity" else name for name in POLECAT_HEADER]

    def row(**values: str) -> str:
        return "\t".join(values.get(name, "None") for name in header)

    lines = [
        "\t".join(header),
        row(**{"Event ID": "p1", "Event Date": "2024-01-16", "Event Type": "ASSAULT",
               intensity_column: "-9.5", "Actor Name": "Iranian military", "Actor Country": "Iran",
               "Primary Actor Sector": "MIL",
               "Recipient Name": "Pakistan", "Recipient Country": "Pakistan"}),
        row(**{"Event ID": "p2", "Event Date": "2024-01-22", "Event Type": "AGREE", intensity_column: "2.5",
               "Actor Name": "Pakistan", "Actor Country": "Pakistan", "Recipient Name": "Iran",
               "Recipient Country": "Iran"}),
        row(**{"Event ID": "p3", "Event Date": "2024-01-23", "Event Type": "WHATEVER", intensity_column: "1",
               "Actor Name": "x", "Actor Country": "Iran", "Recipient Name": "y",
               "Recipient Country": "Iran"}),
    ]  # fmt: skip
    path = tmp_path / "2024-Jan.txt"
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")
    report = import_files("polecat", [path], store)
    assert (report.rows_stored, report.rows_rejected) == (2, 1)
    assert report.files[0].rejects[0].line == 4
    frame = store.events(dataset="polecat").set_index("original_id")
    assert frame.loc["p1", "source_country"] == "IRN" and frame.loc["p1", "source_sector"] == "MIL"
    assert frame.loc["p1", "plover"] == "ASSAULT" and frame.loc["p1", "goldstein"] == -9.5
    assert frame.loc["p1", "cameo_root"] == plover_roots()["ASSAULT"] and frame.loc["p1", "quad_class"] == 4
    assert frame.loc["p2", "quad_class"] == 1


def test_cli_import_events_export_roundtrip(real: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "cli.duckdb")
    result = runner.invoke(app, ["import", "icews", str(real / "icews_events.2018.sample.tab"), "--db", db])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["events", "--dyad", "USA", "PRK", "--format", "csv", "--db", db])
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) - 1 == len(Store(db, read_only=True).events(dyad=("USA", "PRK"))) > 300
    bad = runner.invoke(app, ["events", "--actor", "IRAQ", "--db", db])
    assert bad.exit_code != 0
    out = tmp_path / "export"
    result = runner.invoke(app, ["export", "--out", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["year=2018"]
    count = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/**/*.parquet', hive_partitioning = true)")
    assert count.fetchall() == [(3705,)]


def test_gzipped_file_imports_like_the_plain_one(real: Path, store: Store, tmp_path: Path) -> None:
    import gzip

    path = real / "gdelt1_events_sample_reed9999.tsv"
    packed = tmp_path / "sample.export.CSV.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    assert import_files("gdelt1", [packed], store).rows_stored == len(tab_rows(path))


def test_icews_repeated_keys_are_stored_once(real: Path, store: Store, tmp_path: Path) -> None:
    lines = (real / "icews_events.2018.sample.tab").read_text(encoding="utf-8").splitlines()
    header, body = lines[0], lines[1:101]
    first = tmp_path / "events.2018.a.tab"
    first.write_text("\n".join([header, *body, body[0]]) + "\n", encoding="utf-8")  # a repeat inside the file
    report = import_files("icews", [first], store)
    assert (report.rows_stored, report.files[0].duplicates) == (100, 1)
    # A re-upload with overlapping rows (Dataverse does this) adds only the new ones.
    second = tmp_path / "events.2018.b.tab"
    second.write_text("\n".join([header, *lines[51:151]]) + "\n", encoding="utf-8")
    again = import_files("icews", [second], store)
    assert (again.rows_stored, again.files[0].duplicates) == (50, 50)
    assert len(store.events(dataset="icews")) == 150


def test_cli_dyad_series_import(tmp_path: Path) -> None:
    series = tmp_path / "series.csv"
    series.write_text("date,country_a,country_b,weight\n2024-01-17,IRN,PAK,-30.5\n2024-01-18,IRN,PAK,-46.0\n")
    db = tmp_path / "series.duckdb"
    result = CliRunner().invoke(
        app, ["import", "dyad-series", str(series), "--dataset", "test", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert Store(db, read_only=True).query("SELECT sum(weight) AS w FROM dyad_days")["w"].item() == -76.5


def test_a_wrong_file_among_good_ones_stores_nothing(real: Path, store: Store, tmp_path: Path) -> None:
    bad_zip = tmp_path / "mixed.zip"
    with zipfile.ZipFile(bad_zip, "w") as archive:
        archive.write(real / "gdelt2_20191024143000.export.CSV", "good.export.CSV")
        archive.write(real / "icews_events.2018.sample.tab", "wrong.tab")
    with pytest.raises(InputError, match=r"mixed\.zip!wrong\.tab: not GDELT 2\.0"):
        import_files("gdelt2", [real / "gdelt2_20191024143000.export.CSV", bad_zip], store)
    assert store.query("SELECT count(*) AS n FROM sources")["n"].item() == 0


def test_a_folder_imports_every_file_in_it(real: Path, store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    lines = (real / "gdelt2_20191024143000.export.CSV").read_bytes().splitlines(True)
    (folder / "a.export.CSV").write_bytes(b"".join(lines[:1000]))
    (folder / "b.export.CSV").write_bytes(b"".join(lines[1000:]))
    report = import_files("gdelt2", [folder], store)
    assert [Path(f.location).name for f in report.files] == ["a.export.CSV", "b.export.CSV"]
    assert report.rows_stored == len(lines)


def test_icews_malformed_rows_count_the_header_line(real: Path, store: Store, tmp_path: Path) -> None:
    lines = (real / "icews_events.2018.sample.tab").read_text(encoding="utf-8").splitlines()[:30]
    lines[4] += "\textra"  # file line 5
    lines[9] = "\t".join(lines[9].split("\t")[:10])  # line 10
    fields = lines[14].split("\t")
    fields[1] = "2018-13-45"  # line 15
    lines[14] = "\t".join(fields)
    fields = lines[19].split("\t")
    fields[6] = "X1"  # line 20
    lines[19] = "\t".join(fields)
    path = tmp_path / "events.tab"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_files("icews", [path], store)
    assert (report.rows_read, report.rows_stored, report.rows_rejected) == (29, 25, 4)
    assert [(r.line, r.reason.split()[0]) for r in report.files[0].rejects] == [
        (5, "too"), (10, "missing"), (15, "bad"), (20, "bad")
    ]  # fmt: skip
