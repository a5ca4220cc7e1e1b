"""Fetching pages and feeds over HTTP(S) with httpx, bounded in time and size."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from detente import __version__
from detente.sources.problems import MAX_DOCUMENT_BYTES
from detente.sources.text import BadInput, human_size

__all__ = ["DEFAULT_TIMEOUT", "Fetched", "fetch", "is_url"]

DEFAULT_TIMEOUT = 20.0
_USER_AGENT = f"detente/{__version__} (news event coder)"


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content_type: str  # media type only, lower case, no parameters
    body: bytes


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def fetch(url: str, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = MAX_DOCUMENT_BYTES) -> Fetched:
    """GET ``url``; ``BadInput`` with a one-line reason on any network, HTTP or size problem."""
    try:
        with (
            httpx.Client(
                timeout=timeout, follow_redirects=True, headers={"User-Agent": _USER_AGENT}
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise BadInput(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                size = human_size(int(declared))
                raise BadInput(f"response is {size}, above the {human_size(max_bytes)} limit")
            chunks: list[bytes] = []
            received = 0
            # The body is read in chunks and abandoned past the limit, whatever the server declared.
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received > max_bytes:
                    raise BadInput(f"response is larger than the {human_size(max_bytes)} limit")
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return Fetched(str(response.url), content_type, b"".join(chunks))
    except httpx.TimeoutException:
        raise BadInput(f"no answer within {timeout:g} s") from None
    except httpx.ConnectError as error:
        raise BadInput(f"cannot connect ({_reason(error)})") from None
    except httpx.InvalidURL as error:
        raise BadInput(f"not a valid URL ({error})") from None
    except httpx.HTTPError as error:
        raise BadInput(f"download failed ({_reason(error)})") from None


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    # httpx wraps socket errors as "[Errno 111] Connection refused"; the errno is noise for a user.
    if text.startswith("[Errno"):
        text = text.split("]", 1)[-1].strip()
    return text.splitlines()[0]
