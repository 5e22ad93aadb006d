"""A map laid out as a numbered tree (theses first, then what supports or objects to them).

Kialo and the Markdown handout share it. Every claim appears in full once; a later place that
reuses it is a link to the first. A relation with linked premises puts each premise under the
target; a relation aimed at a relation (an undercut) sits under that relation's first premise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from maps.queries import claim_roles
from models import Claim, MapContent, Relation, Role


@dataclass
class Entry:
    path: tuple[int, ...]
    claim: Claim
    relation: Relation | None = None  # joins this entry to its parent
    link: tuple[int, ...] | None = None  # the first place of this claim, if this is a reuse
    children: list[Entry] = field(default_factory=list)

    @property
    def number(self) -> str:
        return ".".join(str(n) for n in self.path)


@dataclass
class Outline:
    roots: list[Entry]
    roles: dict[str, Role]

    def walk(self) -> list[Entry]:
        """Every entry in reading order (no recursion: deep maps are fine)."""
        found: list[Entry] = []
        stack = list(reversed(self.roots))
        while stack:
            entry = stack.pop()
            found.append(entry)
            stack.extend(reversed(entry.children))
        return found


def build_outline(content: MapContent) -> Outline:
    claims = {claim.id: claim for claim in content.claims}
    roles = claim_roles(content)
    toward_claim: dict[str, list[Relation]] = {}
    toward_relation: dict[str, list[Relation]] = {}
    premise_of: set[str] = set()
    for relation in content.relations:
        premise_of.update(relation.premises)
        if relation.target_claim is not None:
            toward_claim.setdefault(relation.target_claim, []).append(relation)
        else:
            toward_relation.setdefault(str(relation.target_relation), []).append(relation)
    placed: dict[str, tuple[int, ...]] = {}
    roots: list[Entry] = []

    def grow(root: Entry) -> None:
        stack = [root]
        while stack:
            entry = stack.pop()
            arriving: list[Relation] = []
            if entry.relation is not None and entry.relation.premises[0] == entry.claim.id:
                arriving = toward_relation.get(entry.relation.id, [])
            # A reused claim shows its own supports and objections at its first place only.
            incoming = (
                arriving
                if entry.link is not None
                else toward_claim.get(entry.claim.id, []) + arriving
            )
            for relation in incoming:
                for premise in relation.premises:
                    path = (*entry.path, len(entry.children) + 1)
                    child = Entry(path, claims[premise], relation, placed.get(premise))
                    if child.link is None:
                        placed[premise] = path
                    entry.children.append(child)
            stack.extend(reversed(entry.children))

    candidates = [c for c in content.claims if c.id not in premise_of] + [
        c for c in content.claims if c.id in premise_of
    ]
    for claim in candidates:
        if claim.id in placed:
            continue
        path = (len(roots) + 1,)
        root = Entry(path, claim)
        placed[claim.id] = path
        roots.append(root)
        grow(root)
    return Outline(roots, roles)


def label(entry: Entry, outline: Outline) -> str:
    """How the entry relates to its parent, in words: Support, Objection, Rebuttal, Undercut."""
    relation = entry.relation
    if relation is None:
        return "Thesis"
    if relation.target_relation is not None:
        return "Support of the link" if relation.kind.value == "support" else "Undercut"
    if relation.kind.value == "support":
        return "Support"
    target_role = outline.roles.get(str(relation.target_claim))
    return "Rebuttal" if target_role in (Role.OBJECTION, Role.REBUTTAL) else "Objection"
