"""Commands of this stage (registered on detente.cli.app.app)."""

from __future__ import annotations

from detente.cli.app import app  # noqa: F401
