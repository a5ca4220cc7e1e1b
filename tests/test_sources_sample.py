"""The bundled sample corpus: loads, is dated, and covers the episodes the demo and analysis rely on."""

from __future__ import annotations

import datetime as dt
import json
import re

from detente.sources import sample_documents, sample_path


def test_sample_loads_with_dates_titles_and_text() -> None:
    docs = sample_documents()
    assert 14 <= len(docs) <= 20
    assert len({d.doc_id for d in docs}) == len(docs)
    for doc in docs:
        assert isinstance(doc.published, dt.date), doc.doc_id
        assert doc.title and doc.text.strip(), doc.doc_id
        assert 120 <= len(doc.text.split()) <= 300, doc.doc_id


def test_sample_records_have_exactly_the_documented_fields() -> None:
    with sample_path().open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    for record in records:
        assert set(record) == {"id", "published", "title", "text"}
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["published"])


def test_sample_is_sorted_by_publication_date() -> None:
    dates = [d.published for d in sample_documents()]
    assert dates == sorted(dates)  # type: ignore[type-var]


def test_sample_covers_the_episodes_with_explicit_dates() -> None:
    """Each episode the demo analyses is present, told with the day it happened (not only 'on Tuesday')."""
    text = "\n".join(d.text for d in sample_documents())
    for statement in [
        "16 January 2024",  # Iran's strikes near Panjgur
        "17 January 2024",  # Pakistan recalls its ambassador
        "18 January 2024",  # Pakistan's strikes near Saravan
        "19 January 2024",  # ministers' call
        "22 January 2024",  # joint statement
        "29 January 2024",  # Amir-Abdollahian in Islamabad
        "22 April 2024",  # Raisi in Pakistan
        "13 June 2025",  # Israel strikes Iran
        "18 December 2024",  # US sanctions on Pakistan's missile developer
        "16 June 2025",  # Balochistan officials announce the Iran border closed
        "18 June 2025",  # Munir at the White House
        "21 June 2025",  # Nobel recommendation
        "22 June 2025",  # US strikes on Fordow, Natanz, Isfahan
        "23 June 2025",  # Al Udeid
        "2 January 2016",
        "3 January 2016",
        "10 March 2023",
        "6 April 2023",
        "24 November 2015",
        "27 June 2016",
        "9 August 2016",
        "14 February 2019",
        "26 February 2019",
        "27 February 2019",
        "1 March 2019",
    ]:
        assert statement in text, statement
    for name in [
        "Jalil Abbas Jilani",
        "Hossein Amir-Abdollahian",
        "Asim Munir",
        "Donald Trump",
        "Jaish al-Adl",
    ]:
        assert name in text, name


def test_dates_after_publication_appear_only_as_plans() -> None:
    """An article cannot report as done a day after it was published: later dates must be plans."""
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    pattern = re.compile(r"\b(\d{1,2}) (" + "|".join(months) + r") (\d{4})\b")
    planning = re.compile(r"\b(would|will|planned|due|from|by)\b")
    for doc in sample_documents():
        assert doc.published is not None
        for sentence in re.split(r"(?<=\.)\s+", doc.text):
            for day, month, year in pattern.findall(sentence):
                stated = dt.date(int(year), months.index(month) + 1, int(day))
                if stated > doc.published:
                    assert planning.search(sentence), (doc.doc_id, sentence)
