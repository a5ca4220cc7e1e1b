"""detente's command line. Each stage owns one module of commands; importing them registers them."""

from __future__ import annotations

import sys

from detente.cli.app import app
from detente.errors import DetenteError

# Imported for their side effect of registering commands on ``app``.
from detente.cli import coding_commands  # noqa: E402,F401
from detente.cli import store_commands  # noqa: E402,F401
from detente.cli import analysis_commands  # noqa: E402,F401
from detente.cli import demo_command  # noqa: E402,F401
from detente.cli import eval_command  # noqa: E402,F401

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point: user errors become one line on stderr and exit status 2."""
    try:
        app()
    except DetenteError as error:
        print(f"detente: error: {error}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("detente: interrupted", file=sys.stderr)
        sys.exit(130)
