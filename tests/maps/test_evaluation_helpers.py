"""Small maps from compact specs, and a brute-force reference over the Dung translation."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from maps.formats.iccma import dung_framework
from models import MapContent


def make_map(
    claims: dict[str, str] | list[str],
    relations: list[tuple[str, str, list[str], str]],
    *,
    accepted: tuple[str, ...] = (),
    weights: dict[str, float] | None = None,
) -> MapContent:
    """Relations as (id, kind, premises, target); a target that is a relation id is an undercut."""
    texts = claims if isinstance(claims, dict) else {c: f"Claim {c}" for c in claims}
    relation_ids = {r[0] for r in relations}
    weights = weights or {}
    return MapContent.model_validate(
        {
            "title": "test",
            "claims": [
                {"id": cid, "text": text, "accepted": cid in accepted, "weight": weights.get(cid)}
                for cid, text in texts.items()
            ],
            "relations": [
                {
                    "id": rid,
                    "kind": kind,
                    "premises": premises,
                    ("target_relation" if target in relation_ids else "target_claim"): target,
                }
                for rid, kind, premises, target in relations
            ],
        }
    )


@dataclass
class BruteForce:
    """Every extension of a small Dung framework, by enumerating all subsets (bitmasks)."""

    n: int
    attackers: list[int]  # bitmask of attackers per argument
    targets: list[int]  # bitmask of targets per argument

    @classmethod
    def of(cls, content: MapContent, *, support: str = "loose") -> BruteForce:
        af = dung_framework(content, support=support)
        attackers = [0] * af.n
        targets = [0] * af.n
        for a, b in af.attacks:
            attackers[b] |= 1 << a
            targets[a] |= 1 << b
        return cls(af.n, attackers, targets)

    def attacked(self, s: int) -> int:
        out = 0
        for a in range(self.n):
            if s >> a & 1:
                out |= self.targets[a]
        return out

    def defended(self, s: int) -> int:
        """The characteristic function F(S)."""
        hit = self.attacked(s)
        return sum(1 << a for a in range(self.n) if self.attackers[a] & ~hit == 0)

    def conflict_free(self, s: int) -> bool:
        return self.attacked(s) & s == 0

    def admissible(self, s: int) -> bool:
        return self.conflict_free(s) and s & ~self.defended(s) == 0

    def grounded(self) -> int:
        s = 0
        while True:
            nxt = self.defended(s)
            if nxt == s:
                return s
            s = nxt

    def preferred(self) -> list[int]:
        admissible = [s for s in range(1 << self.n) if self.admissible(s)]
        return [s for s in admissible if not any(t != s and t & s == s for t in admissible)]

    def stable(self) -> list[int]:
        full = (1 << self.n) - 1
        return [
            s for s in range(1 << self.n) if self.conflict_free(s) and s | self.attacked(s) == full
        ]

    def label(self, s: int, v: int) -> str:
        if s >> v & 1:
            return "in"
        if self.attacked(s) >> v & 1:
            return "out"
        return "undecided"


def subsets(items: list[str], most: int) -> list[list[str]]:
    return [list(c) for k in range(1, most + 1) for c in combinations(items, k)]
