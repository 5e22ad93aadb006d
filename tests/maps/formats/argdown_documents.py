"""Random Argdown documents for the differential test against Argdown's own CLI.

`document(seed)` writes one document of blocks separated by blank lines: relation trees whose
lines dedent to odd columns, lists with relations below their items, headings continued on the
next line, arguments with premise-conclusion structures (`----`, `-- rule --`, a rule on its
own line between `--` lines, `{uses: [...]}`), relations below their premises, text continued
on the next line, comment lines, and `@include(parts/...)` of a file holding a tree of its own.
Now and then a block is one that Argdown refuses (`broken`). Every statement text is unique (the comparison keys claims by text); titles
are never Argdown's own `Untitled n`.

What the generator leaves out is what the documented mapping sets aside (the report says so
for each): undercuts of statements and of arguments without a structure, contradictions
involving arguments, relations between an argument and the statements of its own structure,
tags in the middle of a text, and data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

WORDS = [
    "fees",
    "museums",
    "visit",
    "conservation",
    "state",
    "funds",
    "people",
    "areas",
    "poorer",
    "value",
    "art",
    "free",
]
SUPPORT_SIGNS = ("+", "<+", "+>")
ATTACK_SIGNS = ("-", "<-", "->")
TAGS = ["cost", "policy", "two words"]


@dataclass
class Document:
    text: str
    parts: dict[str, str] = field(default_factory=dict)  # include name -> text


@dataclass
class _Writer:
    rng: random.Random
    seed: int
    counter: int = 0
    statements: list[str] = field(default_factory=list)  # titles usable in references
    claim_arguments: list[str] = field(default_factory=list)  # `<A>: gist` without a structure
    reconstructed: list[str] = field(default_factory=list)  # arguments given a structure
    parts: dict[str, str] = field(default_factory=dict)
    last_was_reference: bool = False

    def fresh(self) -> int:
        self.counter += 1
        return self.counter

    def words(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    # ------------------------------------------------------------------ elements

    def new_statement(self, *, reusable: bool = True) -> str:
        """A new statement: titled (`[Title 3]: ...`) or untitled (its text alone)."""
        n = self.fresh()
        text = f"s{n} {self.words(self.rng.randint(1, 4))}{self.tags()}"
        if self.rng.random() < 0.25:
            return text
        title = self.rng.choice([f"T{n}", f"Title {n} {self.rng.choice(WORDS)}"])
        if reusable:
            self.statements.append(title)
        return f"[{title}]: {text}"

    def new_argument(self) -> str:
        n = self.fresh()
        title = f"A{n}"
        self.claim_arguments.append(title)
        return f"<{title}>: g{n} {self.words(2)}{self.tags()}"

    def tags(self) -> str:
        """Now and then tags at the end of a text: `#cost`, `#(two words)`."""
        if self.rng.random() > 0.2:
            return ""
        chosen = self.rng.sample(TAGS, self.rng.randint(1, 2))
        return "".join(f" #{tag}" if " " not in tag else f" #({tag})" for tag in chosen)

    def element(self, parent: str = "") -> tuple[str, str]:
        """An element for a relation line, and its kind: statement, claim-argument or
        reconstructed (an argument with a structure). Never `parent` again (no self-relation)."""
        roll = self.rng.random()
        self.last_was_reference = True
        if roll < 0.2 and self.statements:
            title = self.rng.choice(self.statements)
            if f"[{title}]" not in parent:
                return f"[{title}]", "statement"
        if roll < 0.3 and self.reconstructed:
            title = self.rng.choice(self.reconstructed)
            if f"<{title}>" not in parent:
                return f"<{title}>", "reconstructed"
        self.last_was_reference = False
        if roll < 0.4:
            return self.new_argument(), "argument"
        return self.new_statement(), "statement"

    def sign(self, parent: str, child: str) -> str:
        """A relation sign that Argdown and the mapping both take for this pair."""
        signs = list(SUPPORT_SIGNS + ATTACK_SIGNS)
        if parent == child == "statement":
            signs.append("><")
        if parent == "reconstructed":
            signs.append("_")  # the child undercuts the parent's inference
        if child == "reconstructed":
            signs.append("_>")
        return self.rng.choice(signs)

    # ------------------------------------------------------------------ blocks

    def tree(self, root: str | None = None, kind: str = "statement") -> list[str]:
        """A root and relation lines below it, at columns that dedent oddly."""
        if root is None:
            root, kind = self.element()
        lines = [root]
        base = self.rng.choice([1, 2, 4])
        # The lines above as Argdown's lexer reads them: (level of the list, element, kind).
        levels: list[tuple[int, str, str]] = [(0, root, kind)]
        parent = (root, kind)
        for _ in range(self.rng.randint(0, 6)):
            column = self.rng.randint(base, base + 8) if len(lines) > 1 else base
            if column > levels[-1][0]:
                levels.append((column, *parent))
            while len(levels) > 1 and column < levels[-1][0]:
                levels.pop()
            _level, owner, owner_kind = levels[-1]
            child, child_kind = self.element(owner)
            lines.append(" " * column + f"{self.sign(owner_kind, child_kind)} {child}")
            lines += self.extras(column, defines=not self.last_was_reference)
            parent = (child, child_kind)
        return lines

    def extras(self, column: int, *, defines: bool) -> list[str]:
        """Now and then, below a relation line: its text continued, or a comment line."""
        roll = self.rng.random()
        if roll < 0.1 and defines:
            return [" " * (column + 2) + f"c{self.fresh()} {self.words(2)}"]
        if roll < 0.2:
            return [" " * self.rng.randint(0, 6) + f"// comment {self.fresh()}"]
        return []

    def argument_with_structure(self) -> list[str]:
        """`<A>` (with a gist and relations, or alone), a blank line, then its structure."""
        n = self.fresh()
        title = f"R{n}"
        head = f"<{title}>: g{n} gist{self.tags()}" if self.rng.random() < 0.5 else f"<{title}>"
        lines = self.tree(head, "reconstructed") if self.rng.random() < 0.5 else [head]
        lines.append("")
        number = 0
        for _step in range(self.rng.randint(1, 2)):
            first = number + 1
            for _ in range(self.rng.randint(1, 3)):
                number += 1
                lines.append(f"({number}) {self.new_statement(reusable=False)}")
                if self.rng.random() < 0.3:  # a relation below a premise, at an odd column
                    column = self.rng.randint(1, 5)
                    sign = self.rng.choice(SUPPORT_SIGNS + ATTACK_SIGNS)
                    lines.append(" " * column + f"{sign} {self.new_statement()}")
            lines += self.inference(first, number)
            number += 1
            lines.append(f"({number}) {self.new_statement(reusable=False)}")
        self.reconstructed.append(title)
        return lines

    def inference(self, first: int, last: int) -> list[str]:
        rule = f"Rule {self.fresh()}"
        uses = f"{{uses: [{self.rng.randint(first, last)}]}}"
        return self.rng.choice(
            [["----"], [f"-- {rule} --"], ["--", rule, "--"], [f"-- {uses} --"], ["--", uses, "--"]]
        )

    def items(self) -> list[str]:
        lines = []
        numbered = self.rng.random() < 0.5
        for number in range(1, self.rng.randint(2, 4)):
            # Now and then a list that mixes both kinds of items, which Argdown refuses.
            mixed = self.rng.random() < 0.05
            marker = f"{number}." if numbered != mixed else "*"
            item = self.tree(f"{marker} {self.new_statement()}")
            lines += [item[0], *("  " + line for line in item[1:])]
        return lines

    def heading(self) -> list[str]:
        lines = [f"{'#' * self.rng.randint(1, 2)} Heading {self.fresh()} {self.words(2)}"]
        if self.rng.random() < 0.5:
            lines.append(f"continued {self.words(2)}")
        return lines

    def broken(self) -> list[str]:
        """A block Argdown refuses (argmap must refuse it too, naming a line)."""
        n = self.fresh()
        return self.rng.choice(
            [
                [f"# Heading {n}", f"[T{n}]: s{n} right below the heading"],
                [f"[T{n}]: s{n} a statement", "* an item right below it"],
                [f"[T{n}]: s{n} a statement", f"+ [U{n}]: u{n} not indented"],
                [f"<R{n}>", "", f"(1) p{n}", "--", "Rule one", "Rule two", "--", f"(2) c{n}"],
                [f"<R{n}>", "", f"(1) p{n}", "----"],
            ]
        )

    def include(self) -> list[str]:
        name = f"parts/doc{self.seed}-{self.fresh()}.argdown"
        self.parts[name] = "\n".join(self.tree()) + "\n"
        return [f"@include({name})"]


def document(seed: int) -> Document:
    """One document; the same seed gives the same document."""
    writer = _Writer(random.Random(seed), seed)
    blocks = []
    makers = [
        writer.tree,
        writer.tree,
        writer.argument_with_structure,
        writer.items,
        writer.heading,
        writer.include,
    ]
    for _ in range(writer.rng.randint(3, 8)):
        make = writer.broken if writer.rng.random() < 0.01 else writer.rng.choice(makers)
        blocks.append("\n".join(make()))
    return Document("\n\n".join(blocks) + "\n", writer.parts)
