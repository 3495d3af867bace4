"""Attribution chains as a small graph: which article cites which outlet, through whom.

Nodes are the story's articles and the media they name; edges come from the analyse stage's
``attribution`` findings ("..., The Sun reported" -> article cites The Sun; "as per Newsweek via
MSN" -> article cites MSN, MSN carries Newsweek). A named outlet that is itself one of the
story's articles is the same node, so chains between the articles show up as paths.
"""

from __future__ import annotations

from typing import Any

from unspin.types import Analysis


def _norm(name: str) -> str:
    n = " ".join(name.lower().replace("’", "'").split())
    return n[4:] if n.startswith("the ") else n


def attribution_graph(analyses: list[Analysis]) -> dict[str, Any]:
    nodes: dict[str, dict[str, Any]] = {}
    outlet_node: dict[str, str] = {}
    for a in analyses:
        nid = f"article:{a.article.id}"
        nodes[nid] = {"id": nid, "label": a.article.label, "kind": "article", "article_id": a.article.id}
        if a.article.outlet:
            outlet_node[_norm(a.article.outlet)] = nid

    def media(name: str) -> str:
        key = _norm(name)
        if key in outlet_node:
            return outlet_node[key]
        nid = f"media:{key}"
        nodes.setdefault(nid, {"id": nid, "label": name.strip(), "kind": "media"})
        return nid

    edges: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for a in analyses:
        here = f"article:{a.article.id}"
        for f in a.of_kind("attribution"):
            name = str(f.attrs.get("media") or f.label or "").strip()
            if not name:
                continue
            via = [str(v).strip() for v in f.attrs.get("via") or [] if str(v).strip()]
            # The article read the nearest intermediary; each intermediary carries the next one.
            chain = [here, *[media(v) for v in via], media(name)]
            relations = ["cites_via"] + ["carries"] * len(via) if via else ["cites"]
            for (src, dst), rel in zip(zip(chain, chain[1:], strict=False), relations, strict=True):
                if src == dst or (src, dst, rel) in seen:
                    continue
                seen.add((src, dst, rel))
                edges.append(
                    {"source": src, "target": dst, "relation": rel, "article_id": a.article.id,
                     "start": f.start, "end": f.end, "text": f.text, "finding_source": f.source}
                )
    return {"nodes": list(nodes.values()), "edges": edges}


def cited_media(graph: dict[str, Any], article_id: str) -> list[str]:
    """Labels of the outlets an article cites directly or through an intermediary."""
    labels = {n["id"]: n["label"] for n in graph.get("nodes", [])}
    out: list[str] = []
    for e in graph.get("edges", []):
        if e["article_id"] == article_id:
            label = labels.get(e["target"])
            if label and label not in out:
                out.append(label)
    return out
