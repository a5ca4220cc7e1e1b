"""Dyad time-series query time vs store size, and store size per million events.

The query: daily Goldstein sum and event counts by quad class for one directed dyad (USA->CHN), the
series every relations chart reads. Synthetic events are generated inside DuckDB (200 countries with a
skewed choice of dyads, 10 years of days, CAMEO roots and Goldstein values from the codebook) straight into
``events``; ``event_days`` is built from them as the importers build it, then ``Store.optimize()`` sorts it.
Baseline in the same process: the same query as a scan of ``events``.

    python benchmarks/store_dyad_query.py --sizes 1000000 10000000
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from detente.store import Store


def fill(store: Store, size: int) -> None:
    conn = store.connect()
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE _codes AS SELECT row_number() OVER () - 1 AS k, code FROM (VALUES"
        " ('USA'), ('CHN'), ('RUS'), ('IRN'), ('PAK'), ('IND'), ('ISR'), ('PSE'), ('UKR'), ('GBR'))"
        " t(code) UNION ALL SELECT 10 + range, 'C' || lpad(CAST(range AS VARCHAR), 2, '0') FROM range(190)"
    )
    conn.execute(
        f"""
        INSERT INTO events BY NAME
        SELECT 'syn:' || i AS event_id, 'synthetic' AS dataset,
               DATE '2015-01-01' + CAST(i % 3650 AS INTEGER) AS date,
               a.code AS source_country, b.code AS target_country,
               lpad(CAST(1 + (hash(i) % 20) AS VARCHAR), 2, '0') AS cameo_root,
               CASE WHEN 1 + (hash(i) % 20) <= 5 THEN 1 WHEN 1 + (hash(i) % 20) <= 9 THEN 2
                    WHEN 1 + (hash(i) % 20) <= 14 THEN 3 ELSE 4 END AS quad_class,
               (CAST(hash(i * 7) % 200 AS INTEGER) - 100) / 10.0 AS goldstein, 1 AS mentions, 0 AS batch_id
        FROM range({size}) r(i)
        JOIN _codes a ON a.k = CAST(floor(pow((hash(i * 3) % 1000) / 1000.0, 3) * 200) AS INTEGER)
        JOIN _codes b ON b.k = CAST(floor(pow((hash(i * 5) % 1000) / 1000.0, 3) * 200) AS INTEGER)
        """
    )
    conn.execute(
        "INSERT INTO event_days SELECT dataset, source_country, target_country, date, quad_class, count(*),"
        " sum(mentions), sum(goldstein), 0 FROM events GROUP BY ALL"
    )
    conn.execute("CHECKPOINT")


def timed(action: object, repeats: int = 7) -> float:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    args = parser.parse_args()
    scan_sql = (
        "SELECT date, sum(goldstein), count(*), count(*) FILTER (quad_class = 1),"
        " count(*) FILTER (quad_class = 2),"
        " count(*) FILTER (quad_class = 3), count(*) FILTER (quad_class = 4) FROM events"
        " WHERE source_country = 'USA' AND target_country = 'CHN' GROUP BY date ORDER BY date"
    )
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as scratch:
        for size in args.sizes:
            path = Path(scratch) / f"{size}.duckdb"
            store = Store(path)
            started = time.perf_counter()
            fill(store, size)
            fill_seconds = time.perf_counter() - started
            unsorted = timed(lambda: store.dyad_daily("USA", "CHN"))  # noqa: B023
            store.optimize()
            store.close()
            mb = path.stat().st_size / 1e6
            reader = Store(path)
            conn = reader.connect()
            days = len(reader.dyad_daily("USA", "CHN"))
            aggregate = timed(lambda: reader.dyad_daily("USA", "CHN"))  # noqa: B023
            scan = timed(lambda: conn.execute(scan_sql).fetchall(), repeats=3)  # noqa: B023
            day_rows = conn.execute("SELECT count(*) FROM event_days").fetchall()[0][0]
            reader.close()
            print(
                f"events={size:,}: dyad series ({days} days) {aggregate * 1000:.1f} ms from event_days"
                f" ({day_rows:,} rows; {unsorted * 1000:.1f} ms before `optimize` sorts it)"
                f" vs {scan * 1000:.1f} ms scanning events ({scan / aggregate:.0f}x);"
                f" store {mb:,.0f} MB = {mb / (size / 1e6):.0f} MB per million synthetic events;"
                f" generated in {fill_seconds:.0f} s"
            )
            path.unlink()


if __name__ == "__main__":
    main()
