"""Errors a user can act on. The CLI prints them as one line and exits non-zero, never a traceback."""

from __future__ import annotations


class DetenteError(Exception):
    """Base of every error meant for the user: its message names the input and what is wrong."""


class InputError(DetenteError):
    """A file, URL, argument or record that cannot be read as claimed."""


class StoreError(DetenteError):
    """The event store cannot be opened, is locked, or lacks what was asked for."""
