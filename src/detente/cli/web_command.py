"""``detente serve``: the REST API and the dashboard over a store, with uvicorn."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer

from detente.cli.app import app
from detente.errors import InputError


@app.command("serve")
def serve_command(
    db: Annotated[
        Path | None,
        typer.Option("--db", envvar="DETENTE_DB", help="Event store file (default ./detente.duckdb)."),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
) -> None:
    """Serve the REST API (/api, docs at /docs) and the dashboard (/) over the store, read-only."""
    from detente.store import Store, resolve_path

    path = resolve_path(db)
    if not path.is_file():
        raise InputError(f"{path}: no event store there (create one with `detente ingest` or `import`)")
    # Open it once now, so a file that is not a store is refused here rather than on every request.
    with Store(path, read_only=True) as store:
        store.connect()
    if not 0 < port < 65536:
        raise InputError(f"--port {port}: must be between 1 and 65535")
    _check_port_free(host, port)
    import uvicorn

    from detente.web import create_app

    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"detente: serving {path} at http://{shown}:{port}/ (API docs at /docs; Ctrl-C stops)")
    uvicorn.run(create_app(path), host=host, port=port, log_level="warning")


def _check_port_free(host: str, port: int) -> None:
    """Uvicorn reports a taken port as a log line and exits 1; say it in one line and exit 2 instead."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        raise InputError(
            f"--host {host} --port {port}: cannot listen there: {error.strerror or error}"
        ) from None
