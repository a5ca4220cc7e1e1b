"""detente's command line. Each stage owns one module of commands; importing them registers them."""

from __future__ import annotations

import sys

# Imported for their side effect of registering commands on ``app``.
from detente.cli import (
    analysis_commands,  # noqa: F401
    coding_commands,  # noqa: F401
    demo_command,  # noqa: F401
    eval_command,  # noqa: F401
    store_commands,  # noqa: F401
)
from detente.cli.app import app
from detente.errors import DetenteError

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point: user errors become one line on stderr and exit status 2."""
    try:
        app()
    except DetenteError as error:
        print(f"detente: error: {error}", file=sys.stderr)
        sys.exit(2)
    except OSError as error:
        # A safety net for files the commands did not check (an unwritable or vanished path): one line.
        where = f"{error.filename}: " if error.filename else ""
        print(f"detente: error: {where}{error.strerror or error}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("detente: interrupted", file=sys.stderr)
        sys.exit(130)
