"""Who cites whom in a story, laid out for a small inline SVG graph.

Nodes are the story's outlets (left column) and the media they cite; "as per Newsweek via MSN"
gives outlet -> MSN -> Newsweek. The compare stage's ``Comparison.attribution_graph`` is used
when present; otherwise the graph is derived from the articles' ``attribution`` findings.
Layout is a plain layered drawing (column = hops from an outlet), enough for the handful of
nodes a story has; the same edges are also listed as text with their evidence.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any

from unspin.types import Analysis, Comparison

COL_GAP = 220
ROW_GAP = 46
NODE_H = 28
MARGIN = 12
MAX_LABEL = 26


def _key(name: str) -> str:
    return re.sub(r"^the\s+", "", " ".join(name.casefold().split()))


def _derive(members: list[Analysis], names: dict[str, str]) -> dict[str, Any]:
    nodes: dict[str, dict[str, Any]] = {}
    by_name = {_key(names[a.article.id]): f"article:{a.article.id}" for a in members}
    for a in members:
        nid = f"article:{a.article.id}"
        nodes[nid] = {"id": nid, "label": names[a.article.id], "kind": "outlet"}
    edges = []

    def media_node(name: str) -> str:
        k = _key(name)
        if k in by_name:
            return by_name[k]
        nid = f"media:{k}"
        nodes.setdefault(nid, {"id": nid, "label": name, "kind": "media"})
        return nid

    for a in members:
        for f in a.of_kind("attribution"):
            media = str(f.attrs.get("media") or f.label or "").strip()
            if not media:
                continue
            chain = [str(v).strip() for v in (f.attrs.get("via") or []) if str(v).strip()]
            hops = [f"article:{a.article.id}"] + [media_node(v) for v in chain] + [media_node(media)]
            for i, (src, dst) in enumerate(zip(hops, hops[1:], strict=False)):
                if src == dst:
                    continue
                edges.append(
                    {
                        "source": src,
                        "target": dst,
                        "relation": "via" if i < len(chain) else "cites",
                        "article_id": a.article.id,
                        "start": f.start,
                        "end": f.end,
                        "text": f.text,
                    }
                )
    return {"nodes": list(nodes.values()), "edges": edges}


def _layers(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, int]:
    targets = {e["target"] for e in edges}
    roots = [n["id"] for n in nodes if n.get("kind") in ("outlet", "article") or n["id"] not in targets]
    layer = {r: 0 for r in roots}
    queue = deque(roots)
    out: dict[str, list[str]] = {}
    for e in edges:
        out.setdefault(e["source"], []).append(e["target"])
    while queue:
        n = queue.popleft()
        for m in out.get(n, []):
            if m not in layer:
                layer[m] = layer[n] + 1
                queue.append(m)
    for n in nodes:
        layer.setdefault(n["id"], 1)
    return layer


def _clip(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "\u2026"


def attribution_graph(
    comparison: Comparison, members: list[Analysis], names: dict[str, str]
) -> dict[str, Any]:
    """Positioned nodes and edges for ``partials/attribution_graph.html.j2``, plus the edge list
    (outlet, chain, evidence text). Empty ``edges`` means no outlet cites another medium."""
    raw = (
        comparison.attribution_graph if comparison.attribution_graph.get("edges") else _derive(members, names)
    )
    nodes = [dict(n) for n in raw.get("nodes", []) if isinstance(n, dict) and "id" in n]
    for n in nodes:  # the story's own articles carry the names used in the columns
        aid = n.get("article_id") or (n["id"][8:] if str(n["id"]).startswith("article:") else None)
        if aid in names:
            n["label"], n["kind"] = names[aid], "outlet"
    known = {n["id"] for n in nodes}
    edges = [dict(e) for e in raw.get("edges", []) if isinstance(e, dict)]
    for e in edges:  # a graph may name an end it did not list as a node
        for end in (e.get("source"), e.get("target")):
            if end is not None and end not in known:
                nodes.append({"id": end, "label": str(end), "kind": "media"})
                known.add(end)
    edges = [e for e in edges if e.get("source") in known and e.get("target") in known]
    if not edges:
        return {"nodes": [], "edges": [], "list": [], "width": 0, "height": 0}

    layer = _layers(nodes, edges)
    columns: dict[int, list[dict[str, Any]]] = {}
    for n in nodes:
        columns.setdefault(layer[n["id"]], []).append(n)
    pos: dict[str, dict[str, Any]] = {}
    for col, col_nodes in sorted(columns.items()):
        for row, n in enumerate(col_nodes):
            label = str(n.get("label") or n["id"])
            width = 16 + 7 * len(_clip(label))
            pos[n["id"]] = {
                "id": n["id"],
                "label": label,
                "short": _clip(label),
                "kind": n.get("kind", "media"),
                "x": MARGIN + col * COL_GAP,
                "y": MARGIN + row * ROW_GAP,
                "w": width,
                "h": NODE_H,
            }
    drawn_edges = []
    for e in edges:
        a, b = pos[e["source"]], pos[e["target"]]
        x1, y1 = a["x"] + a["w"], a["y"] + NODE_H / 2
        x2, y2 = b["x"], b["y"] + NODE_H / 2
        if b["x"] <= a["x"]:  # same column or backwards: loop out to the right
            x1, x2 = a["x"] + a["w"], b["x"] + b["w"]
            bend = max(x1, x2) + 40
            path = f"M{x1:.0f},{y1:.0f} C{bend:.0f},{y1:.0f} {bend:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
        else:
            mid = (x1 + x2) / 2
            path = f"M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2 - 4:.0f},{y2:.0f}"
        drawn_edges.append(
            {
                "path": path,
                "relation": str(e.get("relation", "cites")),
                "dashed": str(e.get("relation", "")) in ("via", "cites_via", "carries"),
                "source": a["label"],
                "target": b["label"],
                "text": e.get("text") or "",
            }
        )
    width = max(p["x"] + p["w"] for p in pos.values()) + MARGIN + 60
    height = max(p["y"] for p in pos.values()) + NODE_H + MARGIN
    listing = [
        {"source": d["source"], "target": d["target"], "relation": d["relation"], "text": d["text"]}
        for d in drawn_edges
    ]
    return {
        "nodes": list(pos.values()),
        "edges": drawn_edges,
        "list": listing,
        "width": width,
        "height": height,
    }
