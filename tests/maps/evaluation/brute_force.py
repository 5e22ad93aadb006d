"""A brute-force reference over the Dung translation of small maps: every subset tried."""

from __future__ import annotations

from dataclasses import dataclass

from maps.evaluation.framework import dung_framework
from models import MapContent

LABELS = {0: "undecided", 1: "in", 2: "out"}


def nodes_of(content: MapContent) -> list[str]:
    return [c.id for c in content.claims] + [r.id for r in content.relations]


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
