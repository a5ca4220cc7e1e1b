"""`detente eval`: score the coder against gold event files."""

from __future__ import annotations

from detente.cli.app import app  # noqa: F401
