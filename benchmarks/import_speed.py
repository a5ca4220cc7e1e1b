"""GDELT 2.0 import speed: rows/s of `import_files("gdelt2", ...)` on a synthetic file in the real format.

The file repeats the real 15-minute export in ../shared/data/real with fresh GLOBALEVENTIDs up to N
rows. Baseline in the same process: DuckDB only parsing the same file (count(*) over read_csv with the
same options), i.e. the floor no importer built on that reader can beat.

    python benchmarks/import_speed.py --rows 1000000
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import duckdb

from detente.importers import import_files
from detente.importers.formats import GDELT2_COLUMNS
from detente.store import Store

REAL = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "real"
    / "gdelt2_20191024143000.export.CSV"
)


def make_file(rows: int, path: Path) -> None:
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(61))
    repeats = rows // 2111 + 1
    select = ", ".join(
        ["CAST(CAST(c0 AS BIGINT) + r.range * 10000000 AS VARCHAR)"] + [f"c{i}" for i in range(1, 61)]
    )
    duckdb.sql(
        f"COPY (SELECT {select} FROM read_csv('{REAL}', delim='\t', header=false, quote='', escape='',"
        f" columns={{{columns}}}, auto_detect=false), range({repeats}) r LIMIT {rows})"
        f" TO '{path}' (DELIMITER '\t', HEADER false, QUOTE '', ESCAPE '')"
    )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    args = parser.parse_args()
    assert len(GDELT2_COLUMNS) == 61
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as scratch:
        for rows in args.rows:
            source = Path(scratch) / f"{rows}.export.CSV"
            make_file(rows, source)
            size_mb = source.stat().st_size / 1e6
            columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(61))
            started = time.perf_counter()
            duckdb.sql(
                f"SELECT count(*) FROM read_csv('{source}', delim='\t', header=false, quote='', escape='',"
                f" columns={{{columns}}}, auto_detect=false)"
            ).fetchall()
            parse_seconds = time.perf_counter() - started
            store = Store(Path(scratch) / "bench.duckdb")
            cpu_before = _cpu()
            started = time.perf_counter()
            report = import_files("gdelt2", [source], store)
            seconds = time.perf_counter() - started
            cpu = _cpu() - cpu_before
            store.close()
            db_mb = (Path(scratch) / "bench.duckdb").stat().st_size / 1e6
            assert report.rows_stored == rows, report.rows_stored
            print(
                f"rows={rows:,} file={size_mb:,.0f} MB import={seconds:.2f} s"
                f" -> {rows / seconds:,.0f} rows/s; parse-only baseline {rows / parse_seconds:,.0f} rows/s"
                f" (import takes {seconds / parse_seconds:.1f}x the parse); store {db_mb:,.0f} MB"
                f" = {db_mb / (rows / 1e6):,.0f} MB per million events;"
                f" CPU {cpu:.2f} s = {rows / cpu:,.0f} rows per CPU-second"
            )
            (Path(scratch) / "bench.duckdb").unlink()
            source.unlink()


if __name__ == "__main__":
    main()
