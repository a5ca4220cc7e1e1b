"""HTML pages: the article's text with trafilatura, its publication date with htmldate.

Both libraries are given the parsed tree, never a string: given a string that looks like a URL,
they would fetch it, and reading a saved page must stay offline.
"""

from __future__ import annotations

import datetime as dt
import re

import htmldate
import lxml.html
import trafilatura
from lxml import etree
from trafilatura import metadata as trafilatura_metadata

from detente.sources.text import BadInput, looks_binary, parse_date

__all__ = ["MIN_ARTICLE_WORDS", "html_to_text", "parse_html"]

# Fewer words than this is a menu, a cookie wall or an index page, not an article to code.
MIN_ARTICLE_WORDS = 20


def parse_html(data: bytes | str, url: str | None = None) -> tuple[str | None, str, dt.date | None]:
    """(title, article text, publication date or None) of one HTML page; ``BadInput`` if no article."""
    if isinstance(data, bytes):
        if not data.strip():
            raise BadInput("empty file")
        if looks_binary(data):
            raise BadInput("binary file, not HTML")
    elif not data.strip():
        raise BadInput("empty file")
    tree = trafilatura.load_html(data)
    if tree is None:
        raise BadInput("not parseable as HTML")
    text = _extract(tree, url, favor_recall=False)
    if len(text.split()) < MIN_ARTICLE_WORDS:
        # The balanced mode drops doubtful blocks, and on some layouts that is the whole article;
        # recall mode is the second chance before the page is declared to hold no article.
        text = _extract(tree, url, favor_recall=True)
    title = _title(tree)
    if title:
        # trafilatura keeps the page's headline as the first line of the text; it is the title.
        first, _, rest = text.partition("\n")
        if " ".join(first.split()) == title:
            text = rest.strip()
    words = len(text.split())
    if words < MIN_ARTICLE_WORDS:
        raise BadInput(f"no article text found in the HTML ({words} words extracted)")
    return title, text, _publication_date(tree, url)


def _extract(tree: lxml.html.HtmlElement, url: str | None, *, favor_recall: bool) -> str:
    # Without trafilatura's metadata pass (author, site, categories and its own date search): it
    # costs a third of the time, and title and date are found below with cheaper, targeted calls.
    extracted = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,
        include_comments=False,
        include_tables=False,
        favor_recall=favor_recall,
        output_format="python",
    )
    if extracted is None:
        return ""
    return (getattr(extracted, "text", None) or "").strip()


def _title(tree: lxml.html.HtmlElement) -> str | None:
    """The headline: trafilatura's title rules (og:title and title metadata, <h1>, then <title>)."""
    try:
        title = trafilatura_metadata.extract_title(tree)
    except (AttributeError, TypeError, ValueError):
        return None
    return " ".join(title.split()) or None if title else None


def _publication_date(tree: lxml.html.HtmlElement, url: str | None) -> dt.date | None:
    # extensive_search=False keeps to metadata, <time> elements, date-classed elements and the URL;
    # the extensive mode also guesses from any date-like string (a copyright year becomes 1 January),
    # and a wrong date misplaces every event, while a missing one falls back to --published.
    found = htmldate.find_date(
        tree, url=url, extensive_search=False, original_date=True, outputformat="%Y-%m-%d"
    )
    if not found:
        return None
    try:
        return parse_date(found)
    except ValueError:
        return None


_BLOCK_TAGS = re.compile(r"</?(?:p|div|br|li|h[1-6]|blockquote|tr|section|article)\b[^>]*>", re.IGNORECASE)


def html_to_text(fragment: str) -> str:
    """Plain text of a short HTML fragment (a feed entry's summary), keeping paragraph breaks."""
    if "<" not in fragment:
        return fragment.strip()
    marked = _BLOCK_TAGS.sub(lambda match: "\n" + match.group(0), fragment)
    try:
        text = lxml.html.fromstring(f"<div>{marked}</div>").text_content()
    except (etree.ParserError, ValueError):
        return fragment.strip()
    paragraphs = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(p for p in paragraphs if p)
