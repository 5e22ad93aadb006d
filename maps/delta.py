"""What one content of a map changed from another, as a delta that rebuilds it exactly.

A revision stores the map's content either whole (a snapshot) or as the delta from the revision
before; reading a revision applies the deltas since its snapshot, in order.

    delta(before, after) ->
        {"claims": {"put": [<c9 as JSON>], "drop": ["c4"]}, "relations": {"put": [], "drop": []}}
    apply(before, that) == after

`put` holds the elements that are new or changed, in the order of `after`; `drop` the ids that
are gone. A changed element keeps its place and a new one comes after the others, so `order` (all
ids, in order) is written only when `after` orders them otherwise (a restore, say). `title`,
`description` and `rule` are written only when they changed.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from models import Claim, MapContent, Relation

Delta = dict[str, Any]
Element = TypeVar("Element", Claim, Relation)
_SKIP = {"role"}  # derived on read


def _json(element: BaseModel) -> dict[str, Any]:
    data: dict[str, Any] = element.model_dump(mode="json", exclude_none=True, exclude=_SKIP)
    return data


def _part(before: list[Element], after: list[Element]) -> dict[str, Any]:
    """The delta of one list (claims or relations).

    An element that is the very object it was (an edit copies only what it changes) is
    unchanged without being compared: a one-claim edit of 5000 claims dumps one claim, not
    10,000 (2.1 ms instead of 56 ms, measured for issue 16)."""
    old = {element.id: element for element in before}
    new_ids = [element.id for element in after]
    kept = set(new_ids)
    put = []
    for element in after:
        was = old.get(element.id)
        if was is element:
            continue
        data = _json(element)
        if was is None or _json(was) != data:
            put.append(data)
    part: dict[str, Any] = {"put": put, "drop": [i for i in old if i not in kept]}
    appended = [element.id for element in after if element.id not in old]
    if [i for i in old if i in kept] + appended != new_ids:
        part["order"] = new_ids
    return part


def delta(before: MapContent, after: MapContent) -> Delta:
    """The delta that turns `before` into `after` (see the module docstring)."""
    change: Delta = {
        "claims": _part(before.claims, after.claims),
        "relations": _part(before.relations, after.relations),
    }
    if after.title != before.title:
        change["title"] = after.title
    if after.description != before.description:
        change["description"] = after.description
    if after.rule != before.rule:
        change["rule"] = after.rule.model_dump(mode="json")
    return change


def _applied(before: list[dict[str, Any]], part: dict[str, Any]) -> list[dict[str, Any]]:
    dropped = set(part["drop"])
    elements = {e["id"]: e for e in before if e["id"] not in dropped}
    order = [e["id"] for e in before if e["id"] not in dropped]
    for element in part["put"]:
        if element["id"] not in elements:
            order.append(element["id"])
        elements[element["id"]] = element
    return [elements[i] for i in part.get("order", order)]


def apply(before: MapContent, change: Delta) -> MapContent:
    """The content `change` makes of `before`."""
    return MapContent.model_validate(apply_json(content_json(before), change))


def content_json(content: MapContent) -> dict[str, Any]:
    """The content as the JSON a snapshot holds (derived fields left out)."""
    data: dict[str, Any] = content.model_dump(
        mode="json", exclude_none=True, exclude={"claims": {"__all__": _SKIP}}
    )
    return data


def apply_json(before: dict[str, Any], change: Delta) -> dict[str, Any]:
    """`apply` on the JSON form: a chain of deltas is applied without validating each step.

    Contents stored before maps had a rule of decision have none: they keep the default."""
    after = {
        "title": change.get("title", before["title"]),
        "description": change.get("description", before.get("description", "")),
        "claims": _applied(before.get("claims", []), change["claims"]),
        "relations": _applied(before.get("relations", []), change["relations"]),
    }
    rule = change.get("rule", before.get("rule"))
    if rule is not None:
        after["rule"] = rule
    return after
