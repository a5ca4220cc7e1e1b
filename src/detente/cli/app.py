"""The Typer application every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="detente",
    help="Measure how relations between countries move, from the news.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.command()
def version() -> None:
    """Print detente's version."""
    from detente import __version__

    typer.echo(__version__)
