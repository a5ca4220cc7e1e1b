"""The signed alliance network of a period: edges, blocs and structural balance.

An edge joins two countries with at least ``min_days`` days of interaction in the period; its weight
is the mean daily net score (volume-robust, in [-1, 1]) and its sign says ally (+) or adversary (-).
Blocs minimise frustration — positive edges between blocs plus negative edges inside them — by
Doreian & Mrvar's (1996) relocation heuristic started from Louvain communities of the positive edges.
Structural balance (Heider 1946; Cartwright & Harary 1956) is counted over all closed triads from
traces of the signed adjacency matrices: a triad is balanced when the product of its signs is +.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from detente.analysis._db import Source, as_connection, check_country, clamp_window, data_span, detect_source
from detente.analysis.index import DEFAULT_PARAMS, IndexParams, daily_panel
from detente.errors import InputError

__all__ = ["AllianceNetwork", "alliance_network", "balance_counts", "position_change"]


@dataclass(slots=True)
class AllianceNetwork:
    source: Source
    start: dt.date
    end: dt.date
    graph: nx.Graph
    blocs: list[list[str]]
    frustration: int
    triads: dict[str, int] = field(default_factory=dict)

    @property
    def balance(self) -> float:
        total = self.triads.get("total", 0)
        return self.triads.get("balanced", 0) / total if total else float("nan")

    def bloc_of(self, country: str) -> int | None:
        for i, bloc in enumerate(self.blocs):
            if country in bloc:
                return i
        return None

    def edges_frame(self) -> pd.DataFrame:
        rows = [
            {"country_a": a, "country_b": b, "weight": d["weight"], "sign": d["sign"], "days": d["days"]}
            for a, b, d in self.graph.edges(data=True)
        ]
        return pd.DataFrame(rows, columns=["country_a", "country_b", "weight", "sign", "days"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "nodes": self.graph.number_of_nodes(),
            "edges": self.graph.number_of_edges(),
            "blocs": self.blocs,
            "frustration": self.frustration,
            "triads": self.triads,
            "balance": None if self.balance != self.balance else round(self.balance, 4),
            "edge_list": self.edges_frame().round(4).to_dict(orient="records"),
        }


def balance_counts(graph: nx.Graph) -> dict[str, int]:
    """Closed triads by sign pattern, from traces of P (positive) and N (negative) adjacency matrices.

    Each triangle has 6 closed walks; a walk pattern P·P·N is hit twice per ++- triangle, and so on.
    """
    nodes = list(graph.nodes)
    if len(nodes) < 3:
        return {"+++": 0, "++-": 0, "+--": 0, "---": 0, "balanced": 0, "unbalanced": 0, "total": 0}
    adjacency = nx.to_numpy_array(graph, nodelist=nodes, weight="sign")
    positive = (adjacency > 0).astype(float)
    negative = (adjacency < 0).astype(float)
    ppp = round(np.trace(positive @ positive @ positive) / 6)
    ppn = round(np.trace(positive @ positive @ negative) / 2)
    pnn = round(np.trace(positive @ negative @ negative) / 2)
    nnn = round(np.trace(negative @ negative @ negative) / 6)
    return {
        "+++": ppp,
        "++-": ppn,
        "+--": pnn,
        "---": nnn,
        "balanced": ppp + pnn,
        "unbalanced": ppn + nnn,
        "total": ppp + ppn + pnn + nnn,
    }


def _frustration(graph: nx.Graph, bloc: dict[str, int]) -> int:
    return sum(
        1
        for a, b, d in graph.edges(data=True)
        if (d["sign"] > 0 and bloc[a] != bloc[b]) or (d["sign"] < 0 and bloc[a] == bloc[b])
    )


def signed_blocs(graph: nx.Graph, seed: int = 0, max_rounds: int = 20) -> tuple[list[list[str]], int]:
    """Blocs of a signed graph with few frustrated edges (Doreian–Mrvar relocation, Louvain start)."""
    if graph.number_of_nodes() == 0:
        return [], 0
    positive = nx.Graph()
    positive.add_nodes_from(graph.nodes)
    positive.add_edges_from(
        (a, b, {"weight": d["weight"]}) for a, b, d in graph.edges(data=True) if d["sign"] > 0
    )
    communities = nx.community.louvain_communities(positive, weight="weight", seed=seed)
    bloc = {node: i for i, members in enumerate(communities) for node in members}
    n_blocs = len(communities)
    for _ in range(max_rounds):
        moved = False
        for node in sorted(graph.nodes):
            # Frustration change of moving node to each bloc only depends on its own edges.
            def cost(target: int, node: str = node) -> int:
                total = 0
                for other, d in graph[node].items():
                    same = bloc[other] == target
                    total += int((d["sign"] > 0 and not same) or (d["sign"] < 0 and same))
                return total

            current = cost(bloc[node])
            best = min(range(n_blocs + 1), key=lambda t: (cost(t), t != bloc[node], t))
            if cost(best) < current:
                if best == n_blocs:
                    n_blocs += 1
                bloc[node] = best
                moved = True
        if not moved:
            break
    grouped: dict[int, list[str]] = {}
    for node, b in bloc.items():
        grouped.setdefault(b, []).append(node)
    blocs = sorted((sorted(members) for members in grouped.values()), key=lambda m: (-len(m), m))
    return blocs, _frustration(graph, bloc)


def alliance_network(
    store: Any,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    source: str | None = None,
    dataset: str | None = None,
    min_days: int = 2,
    top_edges: int | None = 2000,
    params: IndexParams = DEFAULT_PARAMS,
) -> AllianceNetwork:
    """The signed network of the period (edges with at least ``min_days`` active days, the strongest
    ``top_edges`` by volume), its blocs and triad balance."""
    if min_days < 1:
        raise InputError(f"--min-days {min_days}: must be at least 1")
    connection = as_connection(store)
    kind = detect_source(connection, source)
    span = data_span(connection, kind, dataset)
    lo, hi = clamp_window(span, start, end)
    panel = daily_panel(connection, kind, start=lo, end=hi, dataset=dataset, params=params)
    graph = nx.Graph()
    if not panel.empty:
        edges = (
            panel.groupby(["country_a", "country_b"])
            .agg(weight=("score", "mean"), days=("date", "nunique"), volume=("n_events", "sum"))
            .reset_index()
        )
        edges = edges[(edges["days"] >= min_days) & (edges["weight"] != 0)]
        if top_edges:
            edges = edges.sort_values("volume", ascending=False).head(top_edges)
        for row in edges.to_dict(orient="records"):
            weight = float(row["weight"])
            graph.add_edge(
                row["country_a"],
                row["country_b"],
                weight=weight,
                sign=1 if weight > 0 else -1,
                days=int(row["days"]),
            )
    blocs, frustration = signed_blocs(graph)
    return AllianceNetwork(kind, lo, hi, graph, blocs, frustration, balance_counts(graph))


def position_change(before: AllianceNetwork, after: AllianceNetwork, actor: str) -> dict[str, Any]:
    """How ``actor``'s place moved between two networks: bloc, allies, adversaries, edge correlation."""
    a = check_country(actor)

    def ties(net: AllianceNetwork) -> dict[str, float]:
        return {other: d["weight"] for other, d in net.graph[a].items()} if a in net.graph else {}

    t0, t1 = ties(before), ties(after)
    partners = sorted(set(t0) | set(t1))
    v0 = np.array([t0.get(p, 0.0) for p in partners])
    v1 = np.array([t1.get(p, 0.0) for p in partners])
    correlation = (
        float(np.corrcoef(v0, v1)[0, 1])
        if len(partners) > 2 and v0.std() > 0 and v1.std() > 0
        else float("nan")
    )
    bloc0, bloc1 = before.bloc_of(a), after.bloc_of(a)
    return {
        "actor": a,
        "bloc_before": before.blocs[bloc0] if bloc0 is not None else [],
        "bloc_after": after.blocs[bloc1] if bloc1 is not None else [],
        "allies_gained": sorted(p for p in partners if t1.get(p, 0) > 0 >= t0.get(p, 0)),
        "allies_lost": sorted(p for p in partners if t0.get(p, 0) > 0 >= t1.get(p, 0)),
        "adversaries_gained": sorted(p for p in partners if t1.get(p, 0) < 0 <= t0.get(p, 0)),
        "adversaries_lost": sorted(p for p in partners if t0.get(p, 0) < 0 <= t1.get(p, 0)),
        "tie_correlation": correlation,
    }
