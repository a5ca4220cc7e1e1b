"""The FastAPI application: a JSON API under ``/api`` over a read-only event store, and the dashboard.

Every request opens the store read-only and closes it when the answer is built, so an ``ingest`` or
``import`` in another process gets the file between requests (the store's locking rules, docs/store.md):
a request that finds a writer mid-batch waits for it like the CLI does, up to ``lock_timeout`` seconds.
The analyses are the ones the CLI runs (``detente.analysis``); this module only parses parameters and
turns results into JSON.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from detente.errors import InputError, StoreError
from detente.store import EVENT_COLUMNS, Store, normalize_root

__all__ = ["create_app"]

log = logging.getLogger("detente.web")

STATIC_DIR = Path(str(resources.files("detente.web").joinpath("static")))
# A posted article longer than this is refused: coding is CPU-bound and the server is shared.
MAX_CODE_CHARS = 100_000
MAX_EVENTS_PAGE = 1000
# One shared coder (spaCy pipeline and lexicons) serves every request; its components are not documented
# as thread-safe, and coding is CPU-bound under the GIL anyway, so posted texts are coded one at a time.
_CODER_LOCK = threading.Lock()
SORT_KEYS = {
    "date": "date, event_id",
    "-date": "date DESC, event_id DESC",
    "goldstein": "goldstein, date, event_id",
    "-goldstein": "goldstein DESC, date, event_id",
}
MODALITIES = ("asserted", "planned", "threatened", "denied", "hypothetical")


class ApiError(Exception):
    """A request the API refuses: HTTP status and a one-line reason naming the parameter."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class CodeRequest(BaseModel):
    text: str = Field(description="The article or sentences to code (plain text).")
    published: str | None = Field(
        default=None, description="Publication date YYYY-MM-DD: anchors relative dates such as 'on Tuesday'."
    )
    doc_id: str = Field(default="posted", description="Document id given to the events.")


# -- JSON ---------------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """``value`` as JSON-ready Python: dates as ISO strings, NaN and infinities as null, numpy as Python."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return _records(value)
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat() if _midnight(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, bool | int | str):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame as JSON-ready records, converted column by column (a dyad's index over ten years is
    tens of thousands of values: converting them one by one costs more than the analysis)."""
    names = [str(name) for name in frame.columns]
    columns = [_column(frame.iloc[:, i]) for i in range(frame.shape[1])]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)] if columns else []


def _column(column: pd.Series) -> list[Any]:
    missing = column.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(column):
        present = column[~missing]
        daily = bool((present == present.dt.normalize()).all())
        text = column.dt.strftime("%Y-%m-%d" if daily else "%Y-%m-%dT%H:%M:%S")
        values = text.tolist()
    elif pd.api.types.is_bool_dtype(column) or pd.api.types.is_integer_dtype(column):
        values = column.astype(object).tolist()
    elif pd.api.types.is_float_dtype(column):
        numbers = column.to_numpy(dtype=float, na_value=np.nan)
        missing = missing | ~np.isfinite(numbers)
        values = numbers.tolist()
    else:
        return [plain(v) for v in column.tolist()]
    return [None if gone else v for v, gone in zip(values, missing.tolist(), strict=True)]


def _midnight(value: dt.datetime) -> bool:
    return value.hour == value.minute == value.second == value.microsecond == 0 and value.tzinfo is None


def answer(payload: Any) -> JSONResponse:
    return JSONResponse(plain(payload))


# -- parameters ---------------------------------------------------------------------------------------


def parse_date(value: str | None, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, f"{name} {value!r}: not a date (use YYYY-MM-DD)") from None


def parse_country(value: str, name: str) -> str:
    from detente.analysis._db import check_country

    try:
        return check_country(value)
    except InputError as error:
        raise ApiError(422, f"{name}: {error}") from None


def parse_dyad(value: str, name: str = "dyad") -> tuple[str, str]:
    """``IRN-PAK``, ``IRN,PAK`` or ``IRN PAK`` as two checked codes."""
    parts = [p for p in re.split(r"[-,\s]+", value.strip()) if p]
    if len(parts) != 2:
        raise ApiError(422, f"{name} {value!r}: expected two country codes such as IRN-PAK")
    a, b = (parse_country(p, name) for p in parts)
    if a == b:
        raise ApiError(422, f"{name} {value!r}: a dyad needs two different countries")
    return a, b


def parse_freq(value: str) -> str:
    freq = value.strip().upper()
    if freq not in ("D", "W", "M"):
        raise ApiError(422, f"freq {value!r}: use D, W or M")
    return freq


def _api_wording(message: str) -> str:
    """The analyses word their errors for the CLI (``--min-depth``); name the API parameter instead."""
    return re.sub(r"--([a-z][a-z-]*)", lambda m: m.group(1).replace("-", "_"), message)


# -- the store per request ----------------------------------------------------------------------------


def open_store(request: Request) -> Iterator[Store]:
    """The store of the app serving ``request``, opened read-only for this request and closed after it."""
    state = request.app.state
    try:
        store = Store(state.db, read_only=True, lock_timeout=state.lock_timeout)
        store.connect()
    except StoreError as error:
        # Missing file or a writer holding it past the timeout: the server, not the request, is at fault.
        raise ApiError(503, str(error)) from None
    try:
        yield store
    finally:
        store.close()


StoreDep = Annotated[Store, Depends(open_store)]


# -- the application ----------------------------------------------------------------------------------


def create_app(db: str | Path, *, lock_timeout: float | None = None) -> FastAPI:
    """The API and dashboard over the store file ``db`` (opened read-only for each request)."""
    app = FastAPI(
        title="detente",
        summary="Relations between countries measured from the news: events, indices, turnarounds.",
        version=_version(),
    )
    app.state.db = Path(db)
    app.state.lock_timeout = lock_timeout
    _install_error_handlers(app)
    # A dyad's index over years is hundreds of kB of JSON; it compresses tenfold.
    app.add_middleware(GZipMiddleware, minimum_size=2048)

    @app.get("/api/stats", tags=["store"])
    def stats(store: StoreDep) -> JSONResponse:
        """Events per dataset with their date range, documents, mentions, batches, file size."""
        result = store.stats()
        datasets = result.pop("datasets")
        result["datasets"] = datasets
        result["events"] = int(datasets["events"].sum()) if not datasets.empty else 0
        return answer(result)

    @app.get("/api/countries", tags=["store"])
    def countries(
        store: StoreDep,
        dataset: Annotated[str | None, Query(description="Only this dataset.")] = None,
    ) -> JSONResponse:
        """Countries that appear in the store's events, most active first, with their names."""
        from detente.countries import name_of

        where, params = ("WHERE dataset = ?", [dataset]) if dataset else ("", [])
        frame = store.query(
            "SELECT country, count(*) AS events FROM ("
            f" SELECT source_country AS country FROM events {where}"
            f" UNION ALL SELECT target_country FROM events {where}"
            ") WHERE country IS NOT NULL AND country <> '' GROUP BY country ORDER BY events DESC, country",
            params * 2,
        )
        rows = [
            {"code": code, "name": name_of(code), "events": int(n)}
            for code, n in zip(frame["country"], frame["events"], strict=True)
        ]
        return answer({"countries": rows})

    @app.get("/api/dyads", tags=["store"])
    def dyads(
        store: StoreDep,
        actor: Annotated[str | None, Query(description="Only dyads of this country.")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    ) -> JSONResponse:
        """The most active dyads (both directions together), with their event counts and date range."""
        where = [
            "source_country IS NOT NULL",
            "target_country IS NOT NULL",
            "source_country <> target_country",
        ]
        params: list[Any] = []
        if actor:
            code = parse_country(actor, "actor")
            where.append("(source_country = ? OR target_country = ?)")
            params += [code, code]
        frame = store.query(
            "SELECT least(source_country, target_country) AS country_a,"
            " greatest(source_country, target_country) AS country_b, count(*) AS events,"
            " min(date) AS first, max(date) AS last"
            f" FROM events WHERE {' AND '.join(where)}"
            " GROUP BY ALL ORDER BY events DESC, country_a, country_b LIMIT ?",
            [*params, limit],
        )
        return answer({"dyads": frame})

    @app.get("/api/events", tags=["store"])
    def events(
        store: StoreDep,
        dyad: Annotated[
            str | None, Query(description="Two countries, e.g. IRN-PAK (both directions).")
        ] = None,
        directed: Annotated[bool, Query(description="Only source=first, target=second of dyad.")] = False,
        actor: Annotated[str | None, Query(description="A country on either side.")] = None,
        root: Annotated[str | None, Query(description="CAMEO root 01..20.")] = None,
        cameo: Annotated[str | None, Query(description="CAMEO code or its prefix, e.g. 19 or 195.")] = None,
        quad_class: Annotated[int | None, Query(ge=1, le=4, description="1..4.")] = None,
        modality: Annotated[str | None, Query(description=", ".join(MODALITIES))] = None,
        dataset: Annotated[str | None, Query()] = None,
        start: Annotated[str | None, Query(alias="from", description="First date YYYY-MM-DD.")] = None,
        end: Annotated[str | None, Query(alias="to", description="Last date YYYY-MM-DD.")] = None,
        sort: Annotated[str, Query(description=", ".join(SORT_KEYS))] = "date",
        limit: Annotated[int, Query(ge=1, le=MAX_EVENTS_PAGE)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
        format: Annotated[str, Query(description="json (default) or csv (the page as a CSV file).")] = "json",
    ) -> Response:
        """Stored events matching every filter, one page at a time, with the total count."""
        if format not in ("json", "csv"):
            raise ApiError(422, f"format {format!r}: use json or csv")
        where: list[str] = []
        params: list[Any] = []
        if dyad:
            a, b = parse_dyad(dyad)
            if directed:
                where.append("source_country = ? AND target_country = ?")
                params += [a, b]
            else:
                where.append(
                    "((source_country = ? AND target_country = ?)"
                    " OR (source_country = ? AND target_country = ?))"
                )
                params += [a, b, b, a]
        if actor:
            code = parse_country(actor, "actor")
            where.append("(source_country = ? OR target_country = ?)")
            params += [code, code]
        if root:
            try:
                params.append(normalize_root(root))
            except InputError as error:
                raise ApiError(422, f"root: {error}") from None
            where.append("cameo_root = ?")
        if cameo:
            if not cameo.isdigit() or len(cameo) > 4:
                raise ApiError(422, f"cameo {cameo!r}: expected a CAMEO code of digits such as 195")
            where.append("starts_with(cameo, ?)")
            params.append(cameo)
        if quad_class is not None:
            where.append("quad_class = ?")
            params.append(quad_class)
        if modality:
            if modality not in MODALITIES:
                raise ApiError(422, f"modality {modality!r}: use one of {', '.join(MODALITIES)}")
            # Imported datasets carry no modality: they report what happened.
            where.append("coalesce(modality, 'asserted') = ?")
            params.append(modality)
        if dataset:
            where.append("dataset = ?")
            params.append(dataset)
        first, last = parse_date(start, "from"), parse_date(end, "to")
        if first and last and first > last:
            raise ApiError(422, f"from {first} is after to {last}")
        if first:
            where.append("date >= ?")
            params.append(first)
        if last:
            where.append("date <= ?")
            params.append(last)
        if sort not in SORT_KEYS:
            raise ApiError(422, f"sort {sort!r}: use one of {', '.join(SORT_KEYS)}")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        total = int(store.query(f"SELECT count(*) AS n FROM events{clause}", params)["n"].iloc[0])
        page = store.query(
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM events{clause}"
            f" ORDER BY {SORT_KEYS[sort]} NULLS LAST LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        if format == "csv":
            # The total travels in a header: a CSV file has no place for it.
            return Response(
                page.to_csv(index=False, date_format="%Y-%m-%d"),
                media_type="text/csv; charset=utf-8",
                headers={
                    "Content-Disposition": 'attachment; filename="events.csv"',
                    "X-Total-Count": str(total),
                },
            )
        return answer({"total": total, "limit": limit, "offset": offset, "sort": sort, "events": page})

    @app.get("/api/events/{event_id}/mentions", tags=["store"])
    def mentions(store: StoreDep, event_id: str) -> JSONResponse:
        """The reports that told one event, each with its own sentence."""
        frame = store.mentions(event_id)
        if frame.empty:
            raise ApiError(404, f"event_id {event_id!r}: no such event, or no report stored for it")
        return answer({"event_id": event_id, "mentions": frame})

    @app.get("/api/dyads/{a}/{b}/index", tags=["analysis"])
    def index(
        store: StoreDep,
        a: str,
        b: str,
        freq: Annotated[str, Query(description="D, W or M.")] = "W",
        directed: Annotated[bool, Query(description="a->b and b->a apart.")] = False,
        start: Annotated[str | None, Query(alias="from")] = None,
        end: Annotated[str | None, Query(alias="to")] = None,
        source: Annotated[str | None, Query(description="events or dyad-series.")] = None,
        dataset: Annotated[str | None, Query()] = None,
        evidence_per_period: Annotated[int, Query(ge=0, le=20)] = 3,
    ) -> JSONResponse:
        """The dyad's relations index per period, the daily state, and the strongest events of each period."""
        from detente.analysis import dyad_index

        result = dyad_index(
            store,
            parse_country(a, "a"),
            parse_country(b, "b"),
            freq=parse_freq(freq),
            directed=directed,
            start=parse_date(start, "from"),
            end=parse_date(end, "to"),
            source=source,
            dataset=dataset,
            evidence_per_period=evidence_per_period,
        )
        return answer(index_payload(result))

    @app.get("/api/turnarounds", tags=["analysis"])
    def turnarounds(
        store: StoreDep,
        dyad: Annotated[
            str | None, Query(description="Also list this dyad's episodes, e.g. IRN-PAK.")
        ] = None,
        start: Annotated[str | None, Query(alias="from")] = None,
        end: Annotated[str | None, Query(alias="to")] = None,
        top: Annotated[int, Query(ge=1, le=1000)] = 20,
        min_depth: Annotated[float | None, Query(description="Minimum depth 0..9.")] = None,
        min_hostile_days: Annotated[int | None, Query(ge=0)] = None,
        by: Annotated[str, Query(description="speed, swing or depth.")] = "speed",
        rule: Annotated[str | None, Query(description="milestone, calm or index.")] = None,
        source: Annotated[str | None, Query()] = None,
        dataset: Annotated[str | None, Query()] = None,
    ) -> JSONResponse:
        """Falls into hostility and recoveries of every dyad, ranked (the CLI's ``turnarounds``)."""
        from dataclasses import replace

        from detente.analysis import IndexParams, cached_turnarounds

        pair = parse_dyad(dyad) if dyad else None
        params = IndexParams()
        if min_hostile_days is not None:
            params = replace(params, min_hostile_days=min_hostile_days)
        scan = cached_turnarounds(
            store,
            start=parse_date(start, "from"),
            end=parse_date(end, "to"),
            min_depth=min_depth,
            source=source,
            dataset=dataset,
            rule=rule,
            by=by,
            params=params,
        )
        payload = scan.to_dict()
        payload["ranked"] = payload["ranked"][:top]
        payload["open"] = payload["open"][:top]
        payload["top"] = top
        if pair:
            payload["dyad"] = f"{min(pair)}-{max(pair)}"
            payload["dyad_episodes"] = [e.to_dict() for e in scan.for_dyad(*pair)]
        return answer(payload)

    @app.get("/api/realign", tags=["analysis"])
    def realignment(
        store: StoreDep,
        actor: Annotated[str, Query(description="A, the country that may be moving.")],
        away_from: Annotated[str, Query(description="B, the partner it may drift from.")],
        toward: Annotated[str, Query(description="C, the partner it may drift toward.")],
        start: Annotated[str | None, Query(alias="from")] = None,
        end: Annotated[str | None, Query(alias="to")] = None,
        min_shift: Annotated[float, Query(ge=0)] = 1.0,
        source: Annotated[str | None, Query()] = None,
        dataset: Annotated[str | None, Query()] = None,
    ) -> JSONResponse:
        """Is A moving away from B toward C? Change points of A–B and A–C with the events behind them."""
        from detente.analysis import realign

        result = realign(
            store,
            parse_country(actor, "actor"),
            parse_country(away_from, "away_from"),
            parse_country(toward, "toward"),
            start=parse_date(start, "from"),
            end=parse_date(end, "to"),
            source=source,
            dataset=dataset,
            min_shift=min_shift,
        )
        return answer(result.to_dict())

    @app.get("/api/realign/scan", tags=["analysis"])
    def realignment_scan(
        store: StoreDep,
        actor: Annotated[str | None, Query(description="Only this actor's partners.")] = None,
        start: Annotated[str | None, Query(alias="from")] = None,
        end: Annotated[str | None, Query(alias="to")] = None,
        min_shift: Annotated[float, Query(ge=1.0)] = 2.0,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        source: Annotated[str | None, Query()] = None,
        dataset: Annotated[str | None, Query()] = None,
    ) -> JSONResponse:
        """Actors (or one) whose relations with two partners move in opposite directions, strongest first."""
        from detente.analysis import scan_realignments

        results = scan_realignments(
            store,
            actor=parse_country(actor, "actor") if actor else None,
            start=parse_date(start, "from"),
            end=parse_date(end, "to"),
            source=source,
            dataset=dataset,
            min_shift=min_shift,
            limit=limit,
        )
        return answer({"results": [r.to_dict() for r in results]})

    @app.get("/api/isolation/{actor}", tags=["analysis"])
    def isolation_of(
        store: StoreDep,
        actor: str,
        start: Annotated[str | None, Query(alias="from")] = None,
        end: Annotated[str | None, Query(alias="to")] = None,
        freq: Annotated[str, Query(description="D, W or M.")] = "M",
        partners: Annotated[int, Query(ge=1, le=100)] = 10,
        source: Annotated[str | None, Query()] = None,
        dataset: Annotated[str | None, Query()] = None,
    ) -> JSONResponse:
        """Share of the actor's past partners it still cooperates with, per period."""
        from detente.analysis import isolation

        result = isolation(
            store,
            parse_country(actor, "actor"),
            start=parse_date(start, "from"),
            end=parse_date(end, "to"),
            freq=parse_freq(freq),
            partners=partners,
            source=source,
            dataset=dataset,
        )
        return answer(result.to_dict())

    @app.get("/api/network", tags=["analysis"])
    def network(
        store: StoreDep,
        start: Annotated[str | None, Query(alias="from")] = None,
        end: Annotated[str | None, Query(alias="to")] = None,
        min_days: Annotated[int, Query(ge=1)] = 2,
        actor: Annotated[
            str | None, Query(description="With compare_from/to: how its position moved.")
        ] = None,
        compare_from: Annotated[str | None, Query(description="Start of an earlier period.")] = None,
        compare_to: Annotated[str | None, Query(description="End of the earlier period.")] = None,
        source: Annotated[str | None, Query()] = None,
        dataset: Annotated[str | None, Query()] = None,
    ) -> JSONResponse:
        """The signed network of the period: countries, signed ties, blocs and triad balance; with
        ``actor`` and an earlier period, the allies and adversaries it gained and lost since then."""
        from detente.analysis import alliance_network, position_change

        who = parse_country(actor, "actor") if actor else None
        earlier_from, earlier_to = (
            parse_date(compare_from, "compare_from"),
            parse_date(compare_to, "compare_to"),
        )
        if (earlier_from or earlier_to) and not who:
            raise ApiError(422, "compare_from/compare_to: give the actor whose position to compare")
        net = alliance_network(
            store,
            start=parse_date(start, "from"),
            end=parse_date(end, "to"),
            min_days=min_days,
            source=source,
            dataset=dataset,
        )
        payload = network_payload(net)
        if who and (earlier_from or earlier_to):
            earlier = alliance_network(
                store, start=earlier_from, end=earlier_to, min_days=min_days, source=source, dataset=dataset
            )
            payload["position_change"] = position_change(earlier, net, who)
        return answer(payload)

    @app.post("/api/code", tags=["coding"])
    def code(request: CodeRequest) -> JSONResponse:
        """Code a posted text into events (nothing is stored)."""
        from detente.coding import code_text

        if not request.text.strip():
            raise ApiError(422, "text: empty; post the article's text")
        if len(request.text) > MAX_CODE_CHARS:
            raise ApiError(
                413, f"text: {len(request.text)} characters, more than the {MAX_CODE_CHARS} accepted"
            )
        published = parse_date(request.published, "published")
        with _CODER_LOCK:
            found = code_text(request.text, published=published, doc_id=request.doc_id)
        return answer({"events": [e.to_dict() for e in found], "count": len(found)})

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        # Served from the installed plotly package: the dashboard works offline, with no CDN.
        path = _plotly_js()
        if path is None:
            raise ApiError(500, "plotly.min.js not found in the installed plotly package")
        return FileResponse(path, media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


# -- payloads -----------------------------------------------------------------------------------------


def index_payload(result: Any) -> dict[str, Any]:
    """A ``DyadIndex`` as JSON: periods, daily states, and each evidence event with the index that day."""
    frame = result.frame.copy()
    # ``state`` is the index at the period's end: a chart puts it there, not at the period's first day.
    starts = pd.to_datetime(frame["period"])
    ends = {"D": starts, "W": starts + pd.Timedelta(days=6), "M": starts + pd.offsets.MonthEnd(0)}
    frame.insert(1, "period_end", ends[result.freq].clip(upper=pd.Timestamp(result.end)))
    daily = result.daily[["date", "direction", "state"]].copy()
    evidence = result.evidence.copy()
    if not evidence.empty:
        # The marker of an event sits on the index line of its day (mean over directions when directed).
        state_by_day = daily.groupby("date")["state"].mean()
        evidence["state"] = evidence["date"].map(state_by_day).astype(float)
    return {
        "dyad": f"{result.country_a}-{result.country_b}",
        "country_a": result.country_a,
        "country_b": result.country_b,
        "source": result.source,
        "freq": result.freq,
        "directed": result.directed,
        "start": result.start,
        "end": result.end,
        "params": result.params.to_dict(),
        "caveats": result.caveats,
        "periods": frame,
        "daily": daily,
        "evidence": evidence,
    }


def network_payload(net: Any) -> dict[str, Any]:
    payload = net.to_dict()
    graph = net.graph
    payload["node_list"] = [
        {
            "code": node,
            "bloc": net.bloc_of(node),
            "degree": int(graph.degree(node)),
            "allies": sum(1 for _, _, d in graph.edges(node, data=True) if d["sign"] > 0),
            "adversaries": sum(1 for _, _, d in graph.edges(node, data=True) if d["sign"] < 0),
        }
        for node in sorted(graph.nodes)
    ]
    return dict(payload)


# -- errors -------------------------------------------------------------------------------------------


def _install_error_handlers(app: FastAPI) -> None:
    def one_line(status: int, detail: str) -> JSONResponse:
        return JSONResponse({"detail": " ".join(str(detail).split())}, status_code=status)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> JSONResponse:
        return one_line(error.status, error.detail)

    @app.exception_handler(InputError)
    async def input_error(_: Request, error: InputError) -> JSONResponse:
        return one_line(422, _api_wording(str(error)))

    @app.exception_handler(StoreError)
    async def store_error(_: Request, error: StoreError) -> JSONResponse:
        # Raised by an analysis on an open store: it holds nothing to answer with (empty store, no
        # events for the dyad); opening failures were turned into 503 by the dependency.
        return one_line(404, _api_wording(str(error)))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = []
        for item in error.errors():
            where = [str(x) for x in item.get("loc", ()) if x not in ("query", "path", "body")]
            name = ".".join(where) or "request"
            problems.append(f"{name}: {item.get('msg', 'invalid')}")
        return one_line(422, "; ".join(problems))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        return one_line(error.status_code, str(error.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("error answering %s", request.url.path)
        return one_line(500, f"internal error ({type(error).__name__}); the server log has the details")


def _plotly_js() -> Path | None:
    try:
        path = Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


def _version() -> str:
    from detente import __version__

    return str(__version__)
