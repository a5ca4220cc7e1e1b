"""detente's command line. Each stage owns one module of commands; importing them registers them."""

from __future__ import annotations

import errno
import os
import sys

import typer

# Imported for their side effect of registering commands on ``app``.
from detente.cli import (
    analysis_commands,  # noqa: F401
    coding_commands,  # noqa: F401
    demo_command,  # noqa: F401
    eval_command,  # noqa: F401
    scale_commands,  # noqa: F401
    store_commands,  # noqa: F401
    web_command,  # noqa: F401
)
from detente.cli.app import app
from detente.errors import DetenteError

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point: user errors become one line on stderr and exit status 2."""
    try:
        # Not standalone: Typer would print a usage mistake as a multi-line box; it becomes one line below.
        status = app(standalone_mode=False)
    except DetenteError as error:
        print(f"detente: error: {error}", file=sys.stderr)
        sys.exit(2)
    except (KeyboardInterrupt, typer.Abort):
        print("detente: interrupted", file=sys.stderr)
        sys.exit(130)
    except typer.TyperException as error:
        _usage_error(error)
    except OSError as error:
        if error.errno == errno.EPIPE:
            # The reader went away (`detente events --format csv | head`): stop quietly, as a Unix tool does.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        # A safety net for files the commands did not check (an unwritable or vanished path): one line.
        where = f"{error.filename}: " if error.filename else ""
        print(f"detente: error: {where}{error.strerror or error}", file=sys.stderr)
        sys.exit(2)
    sys.exit(status if isinstance(status, int) else 0)


def _usage_error(error: typer.TyperException) -> None:
    code = getattr(error, "exit_code", 2)
    if type(error).__name__ == "NoArgsIsHelpError":
        sys.exit(code)  # the help was printed: nothing to add
    format_message = getattr(error, "format_message", None)
    message = format_message() if callable(format_message) else str(error)
    context = getattr(error, "ctx", None)
    command = getattr(context, "command_path", None) or "detente"
    print(f"detente: error: {' '.join(message.split())} (see `{command} --help`)", file=sys.stderr)
    sys.exit(code)
