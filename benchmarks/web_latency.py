"""What the REST API adds to an analysis: time of a request vs the same function called directly.

The API opens the store read-only for every request (so a writer can take the file between requests) and
turns the result into JSON; this measures that overhead. Synthetic events are generated inside DuckDB
(200 countries, skewed dyads, 10 years of days) into a temporary store; the requests go through FastAPI's
TestClient (the full ASGI stack, no network). Baseline in the same process: the analysis function on a
connection held open.

    python benchmarks/web_latency.py --events 1000000
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from detente.analysis import dyad_index
from detente.store import Store


def fill(path: Path, size: int) -> None:
    store = Store(path)
    with store.transaction() as conn:
        conn.execute(
            f"""
            INSERT INTO events BY NAME
            SELECT 'syn:' || i AS event_id, 'synthetic' AS dataset, 'd' || (i // 5) AS doc_id,
                   DATE '2015-01-01' + CAST(i % 3650 AS INTEGER) AS date, 'day' AS date_precision,
                   CASE WHEN i % 7 = 0 THEN 'USA' ELSE 'C' || lpad(CAST(hash(i) % 200 AS VARCHAR), 3, '0') END
                       AS source_country,
                   CASE WHEN i % 7 = 0 THEN 'CHN' ELSE 'C' || lpad(CAST(hash(i * 3) % 200 AS VARCHAR), 3, '0')
                       END AS target_country,
                   lpad(CAST(1 + (hash(i) % 20) AS VARCHAR), 2, '0') || '0' AS cameo,
                   lpad(CAST(1 + (hash(i) % 20) AS VARCHAR), 2, '0') AS cameo_root,
                   CASE WHEN 1 + (hash(i) % 20) <= 5 THEN 1 WHEN 1 + (hash(i) % 20) <= 9 THEN 2
                        WHEN 1 + (hash(i) % 20) <= 14 THEN 3 ELSE 4 END AS quad_class,
                   (CAST(hash(i * 7) % 200 AS INTEGER) - 100) / 10.0 AS goldstein,
                   'asserted' AS modality, 'A synthetic sentence number ' || i || '.' AS sentence,
                   1 AS mentions, 0 AS batch_id
            FROM range({size}) r(i)
            """
        )
    store.optimize(sort_events=True)
    store.close()


def timed(function: Callable[[], Any], repeat: int) -> float:
    """Median seconds of ``repeat`` calls after one warm-up call."""
    function()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from detente.web import create_app

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.duckdb"
        began = time.perf_counter()
        fill(path, args.events)
        print(f"store: {args.events:,} synthetic events in {time.perf_counter() - began:.1f} s")
        client = TestClient(create_app(path))

        def open_close() -> None:
            with Store(path, read_only=True) as store:
                store.connect()

        print(f"open + close the store read-only: {1000 * timed(open_close, args.repeat * 3):.1f} ms")
        with Store(path, read_only=True) as held:
            rows: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
                (
                    "USA-CHN weekly index",
                    lambda: dyad_index(held, "USA", "CHN", freq="W"),
                    lambda: client.get("/api/dyads/USA/CHN/index", params={"freq": "W"}).raise_for_status(),
                ),
                (
                    "USA-CHN events, one page of 50",
                    lambda: held.events(dyad=("USA", "CHN"), limit=50),
                    lambda: client.get(
                        "/api/events", params={"dyad": "USA-CHN", "limit": 50}
                    ).raise_for_status(),
                ),
            ]
            print(f"{'request':34} {'direct':>10} {'API':>10} {'API/direct':>11}")
            for name, direct, request in rows:
                d, r = timed(direct, args.repeat), timed(request, args.repeat)
                print(f"{name:34} {1000 * d:8.1f} ms {1000 * r:8.1f} ms {r / d:10.2f}x")


if __name__ == "__main__":
    main()
