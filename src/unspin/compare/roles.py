"""The role each article of a story gives the same entity: NATO an instigator in one outlet, a
guardian in another. Read from the ``roles`` component's findings (shown ones only: those at or
above its display level); an entity is matched across articles by its name without articles or
possessives, a person also by surname ("Putin" in one, "Vladimir Putin" in another)."""

from __future__ import annotations

from unspin.group.text import entity_key
from unspin.types import Analysis, EntityRole, EntityRoles, Finding, RoleUse


def shown_roles(analysis: Analysis) -> list[Finding]:
    return [f for f in analysis.of_kind("role") if not f.attrs.get("below_display") and f.start is not None]


def entity_roles(analyses: list[Analysis]) -> list[EntityRoles]:
    """Entities two or more of ``analyses`` (in the comparison's order) give a role, those the
    articles cast differently first, then the most often cast."""
    found: dict[str, EntityRoles] = {}
    for a in analyses:
        for f in shown_roles(a):
            name = str(f.attrs.get("entity") or f.text)
            group = found.setdefault(entity_key(name, str(f.attrs.get("entity_label") or "")), EntityRoles(entity=name))
            if any(r.article_id == a.article.id for r in group.roles):
                continue  # one role per article (two names of one entity in one article: the first)
            if len(name) > len(group.entity):
                group.entity = name
            group.roles.append(EntityRole(
                article_id=a.article.id, name=name, role=f.label,
                fine=[str(x["label"]) for x in f.attrs.get("fine", [])], confidence=f.confidence,
                start=int(f.start or 0), end=int(f.end or 0)))
    out = [g for g in found.values() if len(g.roles) > 1]
    for g in out:
        g.differs = len({r.role for r in g.roles}) > 1
    return sorted(out, key=lambda g: (not g.differs, -len(g.roles), g.entity.casefold()))


def role_summary(analysis: Analysis) -> list[RoleUse]:
    """An article's shown roles for its per-outlet summary: entity, role, fine roles, confidence."""
    return [RoleUse(entity=str(f.attrs.get("entity") or f.text), role=f.label,
                    fine=[str(x["label"]) for x in f.attrs.get("fine", [])], confidence=f.confidence)
            for f in sorted(shown_roles(analysis), key=lambda f: -f.confidence)]
