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
