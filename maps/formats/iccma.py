"""The attack structure of a map in the ICCMA formats, so any ICCMA solver can check the labels.

- i23 (ICCMA 2023): `#` comment lines, `p af N`, then one attack `i j` per line (arguments 1..N).
- apx (older ICCMA): `arg(a1).` and `att(a1,a2).` facts, `%` comment lines.

ICCMA frameworks carry attacks only, so a map becomes the plain Dung framework described in
maps/evaluation.py: one argument per claim and per relation, plus `not p` for each claim `p`
used as a premise (attacked by `p`, attacking each relation resting on `p`) and, in evidential
mode, `unsupported c` for each claim that needs support (attacked by each support of `c`,
attacking `c`). The side table from argument numbers to argmap ids is written as comment lines:

    # 3 claim t
    # 7 relation r1
    # 9 not a

Reading a file back gives a `DungFramework`; `to_map` turns it into a map of claims (one per
argument) and objections (one per attack), whose grounded labels are the framework's.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

import numpy as np

from maps.framework import Framework, NumberedIds, build_framework, compiled, kernels_ready
from models import InvalidInputError, MapContent

ArgumentKind = str  # "claim" | "relation" | "not" | "unsupported" | "argument"
_SIDE = re.compile(r"^#\s*(\d+)\s+(claim|relation|not|unsupported|argument)\s+(\S+)\s*$")
_SIDE_LINES = re.compile(
    r"^[ \t]*#[ \t]*(\d+)[ \t]+(claim|relation|not|unsupported|argument)[ \t]+(\S+)[ \t]*$", re.M
)
# Found by its literal start (a fast scan), then checked to open its line.
_HEADER = re.compile(r"p[ \t]+af[ \t]+(\d+)[ \t]*\r?$", re.M)


def _find_header(text: str) -> re.Match[str] | None:
    """The first `p af N` line (only spaces or tabs before it on its line)."""
    for found in _HEADER.finditer(text):
        line_start = text.rfind("\n", 0, found.start()) + 1
        if not text[line_start : found.start()].strip(" \t"):
            return found
    return None


def _only_comments(prefix: str) -> int | None:
    """The number of line feeds before the header if every line there is a comment or blank,
    checked in one compiled pass when the kernels are at hand (the side table has a line per
    argument: millions for a large map). None may also mean "not sure": the caller then checks
    line by line, naming the line.
    """
    if not prefix:
        return 0
    kernel = (
        compiled(comments_kernel)
        if len(prefix) >= KERNEL_MIN_CHARACTERS or kernels_ready()
        else None
    )
    if kernel is None or not prefix.isascii():
        return None
    feeds = int(kernel(np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)))
    return feeds if feeds >= 0 else None


def comments_kernel(data: np.ndarray) -> int:
    """The number of line feeds in ASCII text if each of its lines (split as str.splitlines
    does) is blank or opens with '#' after spaces and tabs, else -1."""
    at_start = True
    feeds = 0
    for b in data:
        if b == 10:
            feeds += 1
            at_start = True
        elif b == 13 or b == 11 or b == 12 or 28 <= b <= 30:
            at_start = True
        elif at_start:
            if b == 35:  # '#': the rest of the line is a comment
                at_start = False
            elif b != 32 and b != 9:
                return -1
    return feeds


_APX_SIDE = re.compile(r"^%\s*(\S+)\s+(claim|relation|not|unsupported|argument)\s+(\S+)\s*$")
_APX_FACT = re.compile(r"^(arg|att)\(\s*([^,()\s]+)\s*(?:,\s*([^,()\s]+)\s*)?\)\.$")


@dataclass
class DungFramework:
    """Arguments 0..n-1 and attacks between them; `names[k]` = (kind, argmap id) when known."""

    n: int
    attackers: np.ndarray  # attack sources (int64)
    targets: np.ndarray  # attack targets (int64)
    names: dict[int, tuple[ArgumentKind, str]] = field(default_factory=dict)

    @property
    def attacks(self) -> list[tuple[int, int]]:
        return list(zip(self.attackers.tolist(), self.targets.tolist(), strict=True))


def dung_framework(content: MapContent | Framework, *, support: str = "loose") -> DungFramework:
    """The plain Dung framework of a map's attack structure (see the module docstring)."""
    fw = content if isinstance(content, Framework) else build_framework(content)
    c = fw.n_claims
    n = fw.n_nodes
    names: dict[int, tuple[str, str]] = {v: ("claim", fw.claim_ids[v]) for v in range(c)}
    names.update((c + j, ("relation", rid)) for j, rid in enumerate(fw.relation_ids))
    objection = fw.objection.astype(bool)
    relation_nodes = np.arange(c, n, dtype=np.int64)
    sources = [relation_nodes[objection]]
    targets = [fw.target[objection]]
    used = np.unique(fw.premises)
    negation = np.full(c, -1, dtype=np.int64)
    negation[used] = np.arange(n, n + len(used), dtype=np.int64)
    for k, p in enumerate(used.tolist()):
        names[n + k] = ("not", fw.claim_ids[p])
    owner = np.repeat(relation_nodes, np.diff(fw.premise_start))
    sources += [used, negation[fw.premises]]
    targets += [negation[used], owner]
    size = n + len(used)
    if support == "evidential":
        needy = np.flatnonzero(np.frombuffer(fw.accepted, dtype=np.uint8) == 0)
        unsupported = np.full(c, -1, dtype=np.int64)
        unsupported[needy] = np.arange(size, size + len(needy), dtype=np.int64)
        for k, i in enumerate(needy.tolist()):
            names[size + k] = ("unsupported", fw.claim_ids[i])
        size += len(needy)
        supports = ~objection & (fw.target < c)
        aimed = fw.target[supports]
        keep = unsupported[aimed] >= 0
        sources += [unsupported[needy], relation_nodes[supports][keep]]
        targets += [needy, unsupported[aimed][keep]]
    return DungFramework(
        n=size,
        attackers=np.concatenate(sources).astype(np.int64),
        targets=np.concatenate(targets).astype(np.int64),
        names=names,
    )


def dumps_i23(af: DungFramework, *, title: str | None = None) -> str:
    """ICCMA 2023 text: side table as comments, `p af N`, one attack per line (1-based)."""
    lines: list[str] = []
    if title is not None:
        lines.append("# argmap attack structure of: " + " ".join(title.split()))
    lines.extend(f"# {k + 1} {kind} {name}" for k, (kind, name) in sorted(af.names.items()))
    lines.append(f"p af {af.n}")
    body = np.column_stack((af.attackers + 1, af.targets + 1))
    lines.extend(f"{a} {b}" for a, b in body.tolist())
    return "\n".join(lines) + "\n"


def dumps_apx(af: DungFramework, *, title: str | None = None) -> str:
    """apx facts `arg(aK).` / `att(aI,aJ).` with the side table as `%` comments."""
    lines: list[str] = []
    if title is not None:
        lines.append("% argmap attack structure of: " + " ".join(title.split()))
    lines.extend(f"% a{k + 1} {kind} {name}" for k, (kind, name) in sorted(af.names.items()))
    lines.extend(f"arg(a{k + 1})." for k in range(af.n))
    lines.extend(
        f"att(a{a + 1},a{b + 1})."
        for a, b in zip(af.attackers.tolist(), af.targets.tolist(), strict=True)
    )
    return "\n".join(lines) + "\n"


def loads_i23(text: str, *, side_table: bool = True) -> DungFramework:
    """Parse ICCMA 2023 `p af N` text (errors name the line); `side_table=False` skips names."""
    header = _find_header(text)
    prefix = text[: text.rfind("\n", 0, header.start()) + 1] if header else text
    feeds = _only_comments(prefix)
    if feeds is None:
        for number, line in enumerate(prefix.splitlines(), start=1):
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                raise InvalidInputError(
                    f"line {number}: expected the header 'p af N' before any attack",
                    loc=("line", number),
                )
    if header is None:
        raise InvalidInputError(
            "no 'p af N' header line found", loc=("line", len(prefix.splitlines()) + 1)
        )
    header_at = (prefix.count("\n") if feeds is None else feeds) + 1
    n = int(header.group(1))
    names = (
        {
            int(found.group(1)) - 1: (found.group(2), found.group(3))
            for found in _SIDE_LINES.finditer(prefix)
        }
        if side_table
        else {}
    )
    offset = header.end() + 1
    body = text[offset:]
    if "#" in body:
        body = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("#"))
    values = _fast_ints(body)
    if (
        values is None
        or len(values) % 2
        or (len(values) and (values.min() < 1 or values.max() > n))
    ):
        _check_lines(text[offset:].splitlines(), header_at, n)
        raise InvalidInputError("malformed attack lines", loc=("line", header_at + 1))
    pairs = values.reshape(-1, 2) - 1
    names = {k: v for k, v in names.items() if 0 <= k < n}
    return DungFramework(n=n, attackers=pairs[:, 0].copy(), targets=pairs[:, 1].copy(), names=names)


# Attack lists of at least this many characters are read by a compiled kernel (numba), as are
# all of them once a long-running process has loaded the kernels.
KERNEL_MIN_CHARACTERS = 1 << 20


def _fast_ints(body: str) -> np.ndarray | None:
    if not body or body.isspace():
        return np.zeros(0, dtype=np.int64)
    kernel = (
        compiled(ints_kernel) if len(body) >= KERNEL_MIN_CHARACTERS or kernels_ready() else None
    )
    if kernel is not None and body.isascii():
        values, whole = kernel(np.frombuffer(body.encode("ascii"), dtype=np.uint8))
        if whole:
            return values  # type: ignore[no-any-return]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return np.fromstring(body, dtype=np.int64, sep=" ")
        except (ValueError, DeprecationWarning):
            return None


def ints_kernel(data: np.ndarray) -> tuple[np.ndarray, bool]:
    """Unsigned decimal numbers separated by spaces, tabs and line breaks, in ASCII bytes.

    Returns (the numbers, True), or (nothing, False) at any other byte or a number of more than
    18 digits (the caller then parses the text the slow way, which says what is wrong). Two
    passes: one counts the numbers, so the result is allocated once at its size.
    """
    count = 0
    digits = 0
    for b in data:
        if 48 <= b <= 57:
            digits += 1
            if digits > 18:
                return np.zeros(0, dtype=np.int64), False
        elif b == 32 or b == 10 or b == 13 or b == 9:
            if digits:
                count += 1
                digits = 0
        else:
            return np.zeros(0, dtype=np.int64), False
    if digits:
        count += 1
    values = np.empty(count, dtype=np.int64)
    k = 0
    value = 0
    digits = 0
    for b in data:
        if 48 <= b <= 57:
            value = value * 10 + (b - 48)
            digits += 1
        elif digits:
            values[k] = value
            k += 1
            value = 0
            digits = 0
    if digits:
        values[k] = value
    return values, True


def _check_lines(body_lines: list[str], header_at: int, n: int) -> None:
    for offset, line in enumerate(body_lines, start=1):
        number = header_at + offset
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        parts = stripped.split()
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise InvalidInputError(
                f"line {number}: expected an attack 'i j' (two argument numbers), got {stripped[:40]!r}",
                loc=("line", number),
            )
        for p in parts:
            if not 1 <= int(p) <= n:
                raise InvalidInputError(
                    f"line {number}: argument {p} is outside 1..{n}", loc=("line", number)
                )


def loads_apx(text: str) -> DungFramework:
    """Parse apx `arg(x).` / `att(x,y).` facts (errors name the line)."""
    index: dict[str, int] = {}
    attacks: list[tuple[str, str, int]] = []
    side: dict[str, tuple[str, str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("%"):
            found = _APX_SIDE.match(stripped)
            if found:
                side[found.group(1)] = (found.group(2), found.group(3))
            continue
        fact = _APX_FACT.match(stripped)
        if fact is None or (fact.group(1) == "arg") != (fact.group(3) is None):
            raise InvalidInputError(
                f"line {number}: expected 'arg(x).' or 'att(x,y).', got {stripped[:40]!r}",
                loc=("line", number),
            )
        if fact.group(1) == "arg":
            index.setdefault(fact.group(2), len(index))
        else:
            attacks.append((fact.group(2), str(fact.group(3)), number))
    sources: list[int] = []
    targets: list[int] = []
    for a, b, number in attacks:
        for name in (a, b):
            if name not in index:
                raise InvalidInputError(
                    f"line {number}: argument {name!r} is not declared with arg({name}).",
                    loc=("line", number),
                )
        sources.append(index[a])
        targets.append(index[b])
    names = {index[k]: v for k, v in side.items() if k in index}
    for name, k in index.items():
        names.setdefault(k, ("argument", name))
    return DungFramework(
        n=len(index),
        attackers=np.asarray(sources, dtype=np.int64),
        targets=np.asarray(targets, dtype=np.int64),
        names=names,
    )


def to_framework(af: DungFramework) -> Framework:
    """The framework's arguments as claims `a1..aN`, its attacks as objections `att1..attM`."""
    m = len(af.attackers)
    return Framework(
        claim_ids=NumberedIds("a", af.n),
        relation_ids=NumberedIds("att", m),
        objection=b"\x01" * m,
        target=af.targets,
        premise_start=np.arange(m + 1, dtype=np.int64),
        premises=af.attackers,
    )


def to_map(af: DungFramework, *, title: str = "ICCMA framework") -> MapContent:
    """A map with one claim per argument and one objection per attack.

    Claim ids are `a1..aN`; the text names the argmap element from the side table when there is
    one. A self-attack (which a map relation cannot express directly) becomes two helper claims
    `aK.not` and `aK.self` with the same effect: `aK` is undecided under grounded semantics.
    """
    claims: list[dict[str, object]] = []
    for k in range(af.n):
        kind, name = af.names.get(k, ("argument", str(k + 1)))
        claims.append({"id": f"a{k + 1}", "text": f"{kind} {name}"})
    relations: list[dict[str, object]] = []
    seen: set[tuple[int, int]] = set()
    for a, b in af.attacks:
        if (a, b) in seen:
            continue
        seen.add((a, b))
        rid = f"att{len(relations) + 1}"
        if a != b:
            relations.append(
                {
                    "id": rid,
                    "kind": "objection",
                    "premises": [f"a{a + 1}"],
                    "target_claim": f"a{b + 1}",
                }
            )
            continue
        me = f"a{a + 1}"
        claims.append({"id": f"{me}.not", "text": f"not {me} (self-attack helper)"})
        claims.append({"id": f"{me}.self", "text": f"{me} holds (self-attack helper)"})
        relations += [
            {"id": f"{rid}.n", "kind": "objection", "premises": [me], "target_claim": f"{me}.not"},
            {
                "id": f"{rid}.s",
                "kind": "objection",
                "premises": [f"{me}.not"],
                "target_claim": f"{me}.self",
            },
            {"id": rid, "kind": "objection", "premises": [f"{me}.self"], "target_claim": me},
        ]
    return MapContent.model_validate({"title": title, "claims": claims, "relations": relations})
