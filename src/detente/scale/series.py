"""Dyad-day series out of core: aggregate a `detente export` Parquet folder with dask.dataframe.

For event sets larger than one store or one machine's memory (decades of GDELT, many stores'
exports side by side, a bucket of Parquet files on a cluster's shared file system): Dask reads the
Parquet partitions in parallel, a partition at a time per worker, and reduces them to one row per
undirected country pair and day, the form ``detente import dyad-series`` loads into a store's
``dyad_days`` for the analysis (``weight`` = the day's summed Goldstein score, as in the GDELT daily
country network).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from detente.countries import all_iso3
from detente.errors import InputError
from detente.scale.cluster import Cluster

__all__ = ["SERIES_COLUMNS", "dyad_series", "write_series"]

SERIES_COLUMNS = ("date", "country_a", "country_b", "weight", "events")
_NEEDED = ("date", "source_country", "target_country", "goldstein")


def dyad_series(
    parquet: str | os.PathLike[str],
    *,
    dataset: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    scheduler: str = "threads",
    workers: int | None = None,
    cluster: Cluster | None = None,
) -> pd.DataFrame:
    """One row per undirected country pair and day: ``date, country_a <= country_b, weight, events``.

    ``parquet`` is a folder written by ``detente export --format parquet`` (``year=YYYY/`` partitions)
    or any Parquet files with the event columns. Only state dyads count: both sides ISO 3166 countries
    and different (international bodies, groups and domestic events have no place in a country-pair
    series). ``weight`` sums Goldstein scores; ``events`` counts events.
    """
    import dask.dataframe as dd

    source = Path(parquet)
    if not source.exists():
        raise InputError(f"{source}: no such file or folder")
    columns = [*_NEEDED, "dataset"] if dataset else list(_NEEDED)
    filters: list[tuple[str, str, Any]] = []
    if dataset:
        filters.append(("dataset", "==", dataset))
    if start is not None:
        filters.append(("date", ">=", start))
    if end is not None:
        filters.append(("date", "<=", end))
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"The inplace keyword in DataFrame\.reset_index")
            present = set(dd.read_parquet(str(source)).columns)  # the schema only: nothing is read yet
            missing = [name for name in columns if name not in present]
            if missing:
                raise InputError(f"{source}: not detente events (no {', '.join(missing)} column)")
            frame = dd.read_parquet(str(source), columns=columns, filters=filters or None)
    except (OSError, ValueError, KeyError) as error:
        raise InputError(f"{source}: cannot read as Parquet events ({_first_line(error)})") from None
    states = sorted(all_iso3())
    frame = frame[
        frame.source_country.isin(states)
        & frame.target_country.isin(states)
        & (frame.source_country != frame.target_country)
        & frame.date.notnull()
        & frame.goldstein.notnull()
    ]
    first_is_a = frame.source_country < frame.target_country
    frame = frame.assign(
        country_a=frame.source_country.where(first_is_a, frame.target_country),
        country_b=frame.target_country.where(first_is_a, frame.source_country),
        date=dd.to_datetime(frame.date).dt.normalize(),
    )
    grouped = frame.groupby(["date", "country_a", "country_b"]).goldstein.agg(["sum", "count"])
    own = cluster is None
    running = cluster if cluster is not None else Cluster(scheduler, workers)
    try:
        with warnings.catch_warnings():
            # dask's own Parquet reader calls a pandas method pandas 3.1 deprecates: not the user's concern
            warnings.filterwarnings("ignore", message=r"The inplace keyword in DataFrame\.reset_index")
            result = running.compute(grouped)
    except (OSError, ValueError) as error:
        raise InputError(f"{source}: cannot read as Parquet events ({_first_line(error)})") from None
    finally:
        if own:
            running.close()
    result = result.reset_index().rename(columns={"sum": "weight", "count": "events"})
    result["date"] = pd.to_datetime(result["date"]).dt.date
    result["country_a"] = result["country_a"].astype(str)
    result["country_b"] = result["country_b"].astype(str)
    result["weight"] = result["weight"].astype(float).round(6)
    result["events"] = result["events"].astype("int64")
    return result.sort_values(["date", "country_a", "country_b"], ignore_index=True)[list(SERIES_COLUMNS)]


def write_series(series: pd.DataFrame, out: str | os.PathLike[str]) -> Path:
    """Write ``date,country_a,country_b,weight`` (gzipped for a ``.gz`` name), whole or not at all."""
    target = Path(out)
    if target.is_dir():
        raise InputError(f"--out {target}: is a folder; give a file name such as series.csv.gz")
    if not target.parent.exists():
        raise InputError(f"--out {target}: folder {target.parent} does not exist")
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(descriptor)
    temporary = Path(name)
    try:
        compression: Literal["gzip"] | None = "gzip" if target.suffix == ".gz" else None
        frame = series[["date", "country_a", "country_b", "weight"]]
        frame.to_csv(temporary, index=False, compression=compression, date_format="%Y-%m-%d")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__
