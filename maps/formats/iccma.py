"""Reading and writing Dung frameworks in the ICCMA formats, so any ICCMA solver can check labels.

- i23 (ICCMA 2023): `#` comment lines, `p af N`, then one attack `i j` per line (arguments 1..N).
- apx (older ICCMA): `arg(a1).` and `att(a1,a2).` facts, `%` comment lines.

ICCMA frameworks carry attacks only: a map becomes a plain Dung framework first
(maps.evaluation.framework.dung_framework: one argument per claim and per relation, plus `not p`
for each claim `p` used as a premise and, in evidential mode, `unsupported c` for each claim that
needs support). The side table from argument numbers to argmap ids is written as comment lines:

    # 3 claim t
    # 7 relation r1
    # 9 not a

Reading a file back gives a `DungFramework`; `to_map` turns it into a map of claims (one per
argument) and objections (one per attack), whose grounded labels are the framework's.
"""

from __future__ import annotations

import re

import numpy as np

from maps.evaluation.framework import DungFramework
from models import InvalidInputError, MapContent

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


# A line that opens with anything but blanks and '#' (or a line feed): maybe not a comment.
# After a line feed, which the scan finds fast (`^` with re.M, or an alternation, is 8x slower).
_NOT_COMMENT = re.compile(r"[ \t]*[^# \t\r\n]")
_NEXT_NOT_COMMENT = re.compile(r"\n[ \t]*[^# \t\r\n]")
# Line breaks that str.splitlines knows and a scan by line feeds does not (CRLF is fine).
_OTHER_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def _only_comments(prefix: str) -> int | None:
    """The number of line feeds before the header if every line there is a comment or blank,
    found by scans in C (the side table has a line per argument: millions for a large map).
    None may also mean "not sure": the caller then checks line by line, naming the line.
    """
    if prefix.count("\r") != prefix.count("\r\n") or any(b in prefix for b in _OTHER_BREAKS):
        return None
    if _NOT_COMMENT.match(prefix) or _NEXT_NOT_COMMENT.search(prefix):
        return None
    return prefix.count("\n")


_APX_SIDE = re.compile(r"^%\s*(\S+)\s+(claim|relation|not|unsupported|argument)\s+(\S+)\s*$")
_APX_FACT = re.compile(r"^(arg|att)\(\s*([^,()\s]+)\s*(?:,\s*([^,()\s]+)\s*)?\)\.$")


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


_NUMBER_BYTES = b"0123456789 \t\r\n"


def _fast_ints(body: str) -> np.ndarray | None:
    """The numbers in the attack lines, or None when they hold anything but digits and blanks.

    A number too large for 64 bits reads as the largest one, which no argument has.
    """
    if not body.isascii() or body.encode("ascii").translate(None, _NUMBER_BYTES):
        return None  # something besides digits and blanks
    if not body or body.isspace():
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(body, dtype=np.int64, sep=" ")


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
