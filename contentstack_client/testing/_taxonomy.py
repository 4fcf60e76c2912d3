"""Term hierarchies of seeded taxonomies: ancestors, descendants and tree order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

JSON = dict[str, Any]


def with_depths(terms: Mapping[str, JSON]) -> None:
    """Fill in ``depth`` (1 for roots) from ``parent_uid`` where the seed left it out."""

    def depth(uid: str, seen: frozenset[str]) -> int:
        term = terms[uid]
        parent = term.get("parent_uid")
        if parent is None:
            return 1
        if parent not in terms:
            raise ValueError(f"term {uid!r} names an unknown parent {parent!r}")
        if parent in seen:
            raise ValueError(f"terms {sorted(seen)} form a cycle")
        return depth(parent, seen | {uid}) + 1

    for uid, term in terms.items():
        term.setdefault("parent_uid", None)
        term["depth"] = depth(uid, frozenset({uid}))


def children(terms: Mapping[str, JSON], parent: str | None) -> list[JSON]:
    """Direct children of ``parent`` (roots for ``None``), by ``order`` then insertion."""
    found = [t for t in terms.values() if t.get("parent_uid") == parent]
    return sorted(found, key=lambda t: t.get("order", 0))


def ancestors(terms: Mapping[str, JSON], uid: str, levels: int | None = None) -> list[JSON]:
    """The parent, grandparent, ... of a term (nearest first), up to ``levels`` of them."""
    result: list[JSON] = []
    parent = terms[uid].get("parent_uid")
    while parent is not None and parent in terms and (levels is None or len(result) < levels):
        result.append(terms[parent])
        parent = terms[parent].get("parent_uid")
    return result


def descendants(
    terms: Mapping[str, JSON], uid: str | None, levels: int | None = None
) -> list[JSON]:
    """Terms below ``uid`` (all terms for ``None``) in tree pre-order, ``levels`` deep."""
    result: list[JSON] = []

    def walk(parent: str | None, level: int) -> None:
        if levels is not None and level > levels:
            return
        for child in children(terms, parent):
            result.append(child)
            walk(child["uid"], level + 1)

    walk(uid, 1)
    return result


def related(terms: Mapping[str, JSON], uid: str, operator: str, levels: int) -> set[str]:
    """Term uids a taxonomy hierarchy operator accepts (empty for an unknown term)."""
    if uid not in terms:
        return set()
    if operator in ("$above", "$eq_above"):
        found = {t["uid"] for t in ancestors(terms, uid, levels)}
    else:
        found = {t["uid"] for t in descendants(terms, uid, levels)}
    if operator.startswith("$eq_"):
        found.add(uid)
    return found
