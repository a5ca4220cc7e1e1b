"""Actor dictionaries and matcher: who an actor phrase names, on the date of the event.

Data files beside this module, one test family each:

- ``states.csv``: names, demonyms and capitals of every ISO 3166 state (the rest generated from pycountry);
- ``institutions.csv``: the Kremlin, the Pentagon, the IRGC, ...; ``organisations.csv``: UN, NATO, EU, ...;
- ``groups.csv``: armed non-state groups, with dated changes of status;
- ``people.csv``: leaders and officials with tenures; ``sectors.csv``: sector nouns;
- ``places.csv`` (cities; pycountry's provinces are added by the loader) and ``place_stoplist.txt``;
- ``titles.txt``, ``nonactors.txt`` and ``surname_stoplist.txt``.

Mention kinds: state, alias (a national institution or seat of power), capital, demonym, place, person, org,
group, sector. ``evaluation`` scores resolution against gold files
(``python -m detente.coding.actors.evaluation GOLD.jsonl``).
"""

from __future__ import annotations

from detente.coding.actors._data import SECTORS, DataError
from detente.coding.actors._lexicon import Actor, ActorLexicon, ActorMention

__all__ = ["SECTORS", "Actor", "ActorLexicon", "ActorMention", "DataError"]
