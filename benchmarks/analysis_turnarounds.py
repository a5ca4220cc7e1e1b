"""Benchmark: turnaround scan of every dyad vs number of stored events, and one dyad's report.

Synthetic events are generated inside DuckDB (no Python loop): ``--dyads`` country pairs over
``--days`` days, CAMEO codes drawn from a mix that is mostly cooperative with conflict bursts.
For each size it prints the time of the full scan (SQL aggregation to dyad-days, then the vectorised
state recursion and episode detection, then milestones), the in-process baseline of the same SQL
aggregation alone (the floor any method must pay to read the events), and their ratio; then the time
of one dyad's report (its index, episodes with milestones, the HTML page), before and after
``events`` is sorted by dyad (what ``Store.optimize()`` does after a big import; its time is printed).

    python benchmarks/analysis_turnarounds.py --events 1000000 10000000 100000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

import duckdb

from detente.analysis import find_turnarounds
from detente.analysis._db import create_schema
from detente.cameo import lookup
from detente.report import write_report
from detente.store.store import sort_events_by_dyad

# The machine is shared: keep DuckDB well inside its memory.
MEMORY_LIMIT = "6GB"
# (code, draw weight): consultations and cooperation dominate, as in real event data.
MIX = [
    ("040", 30),
    ("042", 10),
    ("043", 8),
    ("051", 10),
    ("057", 4),
    ("061", 6),
    ("010", 12),
    ("111", 6),
    ("130", 4),
    ("161", 3),
    ("173", 3),
    ("190", 2),
    ("195", 2),
]


def build(path: Path, events: int, dyads: int, days: int) -> None:
    connection = duckdb.connect(str(path), config={"memory_limit": MEMORY_LIMIT})
    create_schema(connection)
    countries = connection.execute(
        "SELECT DISTINCT alpha3 FROM (VALUES " + ",".join(f"('{c}')" for c in _countries()) + ") t(alpha3)"
    ).fetchall()
    codes = [c[0] for c in countries]
    pairs = [(a, b) for i, a in enumerate(codes) for b in codes[i + 1 :]][:dyads]
    connection.execute("CREATE TEMP TABLE pairs(id INTEGER, a VARCHAR, b VARCHAR)")
    connection.executemany(
        "INSERT INTO pairs VALUES (?, ?, ?)", [(i, a, b) for i, (a, b) in enumerate(pairs)]
    )
    connection.execute(
        "CREATE TEMP TABLE mix(slot INTEGER, cameo VARCHAR, root VARCHAR, g DOUBLE, q TINYINT)"
    )
    slot = 0
    for code, weight in MIX:
        entry = lookup(code)
        for _ in range(weight):
            connection.execute(
                "INSERT INTO mix VALUES (?, ?, ?, ?, ?)",
                [slot, code, entry.root, entry.goldstein, entry.quad_class],
            )
            slot += 1
    connection.execute(
        f"""
        INSERT INTO events (event_id, dataset, date, date_precision, source_country, target_country,
                            cameo, cameo_root, goldstein, quad_class, modality)
        SELECT 'b' || i, 'bench', DATE '2012-01-01' + CAST(hash(i * 3) % {days} AS INTEGER), 'day',
               CASE WHEN i % 2 = 0 THEN p.a ELSE p.b END, CASE WHEN i % 2 = 0 THEN p.b ELSE p.a END,
               m.cameo, m.root, m.g, m.q, 'asserted'
        FROM range({events}) r(i)
        JOIN pairs p ON p.id = hash(i) % {len(pairs)}
        JOIN mix m ON m.slot = hash(i * 7 + 1) % {slot}
        """
    )
    # The day aggregate as the importers build it.
    connection.execute(
        "INSERT INTO event_days SELECT dataset, source_country, target_country, date, quad_class, count(*),"
        " count(*), sum(goldstein), 0 FROM events GROUP BY ALL"
    )
    connection.close()


def optimize(path: Path) -> None:
    """What ``Store.optimize()`` does after a big import (run here under the benchmark's memory limit)."""
    connection = duckdb.connect(str(path), config={"memory_limit": MEMORY_LIMIT})
    connection.execute("BEGIN TRANSACTION")
    sort_events_by_dyad(connection)
    connection.execute("COMMIT")
    connection.execute("CHECKPOINT")
    connection.close()


def one_dyad(path: Path, tmp: Path) -> float:
    """Seconds for one dyad's report as ``detente report`` makes it: its daily index, its episodes (with
    milestones) and the HTML page with the chart and the month's strongest events. Median of three,
    on a fresh read-only connection like a CLI run."""
    connection = duckdb.connect(str(path), read_only=True, config={"memory_limit": MEMORY_LIMIT})
    a, b = connection.execute("SELECT source_country, target_country FROM events LIMIT 1").fetchone()  # type: ignore[misc]
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        one = find_turnarounds(connection, dyad=(a, b))
        write_report(connection, a, b, tmp / "report.html", scan=one)
        samples.append(time.perf_counter() - started)
    connection.close()
    (tmp / "report.html").unlink(missing_ok=True)
    return sorted(samples)[1]


def _countries() -> list[str]:
    import pycountry

    return sorted(c.alpha_3 for c in pycountry.countries)[:120]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=float, nargs="+", default=[1e6, 1e7])
    parser.add_argument("--dyads", type=int, default=1000)
    parser.add_argument("--days", type=int, default=3650)
    args = parser.parse_args()
    print(
        f"{'events':>12} {'dyad-days':>10} {'build s':>8} {'sort s':>7} {'SQL agg s':>9} {'scan s':>7} "
        f"{'ratio':>6} {'episodes':>8} {'report unsorted s':>17} {'dyad report s':>13}"
    )
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as tmp:
        for n in (int(x) for x in args.events):
            path = Path(tmp) / f"bench-{n}.duckdb"
            started = time.perf_counter()
            build(path, n, args.dyads, args.days)
            built = time.perf_counter() - started
            unsorted = one_dyad(path, Path(tmp))
            started = time.perf_counter()
            optimize(path)
            sorted_in = time.perf_counter() - started
            connection = duckdb.connect(str(path), read_only=True, config={"memory_limit": MEMORY_LIMIT})
            started = time.perf_counter()
            dyad_days = connection.execute(
                "SELECT count(*) FROM (SELECT least(source_country, target_country), "
                "greatest(source_country, target_country), date, sum(goldstein), count(*) "
                "FROM events GROUP BY ALL)"
            ).fetchone()[0]  # type: ignore[index]
            baseline = time.perf_counter() - started
            started = time.perf_counter()
            scan = find_turnarounds(connection)
            scanned = time.perf_counter() - started
            connection.close()
            report = one_dyad(path, Path(tmp))
            path.unlink()
            print(
                f"{n:>12,} {dyad_days:>10,} {built:>8.1f} {sorted_in:>7.1f} {baseline:>9.2f} {scanned:>7.2f} "
                f"{scanned / baseline:>6.1f} {len(scan.episodes):>8,} {unsorted:>17.2f} {report:>13.2f}",
                flush=True,
            )
    print(f"({args.dyads} dyads over {args.days} days; {dt.date.today()})")


if __name__ == "__main__":
    main()
