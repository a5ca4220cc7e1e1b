"""RSS and Atom feeds with feedparser: one document per entry."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

import feedparser

from detente.sources.html import html_to_text
from detente.sources.text import BadInput, looks_binary

__all__ = ["FeedEntry", "looks_like_feed", "parse_feed"]


@dataclass(frozen=True, slots=True)
class FeedEntry:
    entry_id: str | None
    title: str | None
    link: str | None
    text: str
    published: dt.date | None


def looks_like_feed(head: bytes) -> bool:
    lowered = head[:4096].lower()
    return b"<rss" in lowered or b"<feed" in lowered or b"<rdf:rdf" in lowered


def parse_feed(data: bytes) -> tuple[str | None, list[FeedEntry]]:
    """(feed title, entries) of an RSS/Atom document given as bytes; ``BadInput`` if it is no feed.

    Always bytes: feedparser given a string that looks like a URL or a path would go and read it.
    """
    if not data.strip():
        raise BadInput("empty file")
    if looks_binary(data):
        raise BadInput("binary file, not a feed")
    parsed: Any = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f" ({str(reason).splitlines()[0]})" if reason else ""
        raise BadInput(f"not an RSS or Atom feed{detail}")
    if not parsed.entries:
        raise BadInput("feed has no entries")
    title = parsed.feed.get("title") or None
    return title, [_entry(entry) for entry in parsed.entries]


def _entry(entry: Any) -> FeedEntry:
    # Full content (content:encoded, Atom <content>) when the feed carries it, else the summary.
    bodies = [part.get("value", "") for part in entry.get("content", []) if part.get("value")]
    body = max(bodies, key=len) if bodies else entry.get("summary", "") or entry.get("description", "")
    published = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        stamp: time.struct_time | None = entry.get(key)
        if stamp:
            try:
                published = dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
            except ValueError:
                continue
            break
    return FeedEntry(
        entry_id=entry.get("id") or None,
        title=" ".join(entry.get("title", "").split()) or None,
        link=entry.get("link") or None,
        text=html_to_text(body),
        published=published,
    )
