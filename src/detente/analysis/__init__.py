"""Stage 4: relations analysis on the event store (methods in docs/methods.md).

``dyad_index`` (relations state per day/week/month), ``find_turnarounds``/``rank_turnarounds``
(falls and recoveries ranked across every dyad), ``realign`` and ``scan_realignments``,
``isolation``, ``alliance_network`` and ``check_claims``.
"""

from detente.analysis.claims import ClaimReport, Verdict, check_claims
from detente.analysis.index import DyadIndex, IndexParams, dyad_index
from detente.analysis.isolation import Isolation, isolation
from detente.analysis.network import AllianceNetwork, alliance_network, position_change
from detente.analysis.realign import Realignment, realign, scan_realignments
from detente.analysis.turnarounds import (
    Turnaround,
    TurnaroundScan,
    cached_turnarounds,
    find_turnarounds,
    rank_turnarounds,
)

__all__ = [
    "AllianceNetwork",
    "ClaimReport",
    "DyadIndex",
    "IndexParams",
    "Isolation",
    "Realignment",
    "Turnaround",
    "TurnaroundScan",
    "Verdict",
    "alliance_network",
    "cached_turnarounds",
    "check_claims",
    "dyad_index",
    "find_turnarounds",
    "isolation",
    "position_change",
    "rank_turnarounds",
    "realign",
    "scan_realignments",
]
