"""argmap reads generated Argdown documents as Argdown's own CLI does, modulo the mapping.

Sixty documents from `argdown_documents` (statements, arguments with premise-conclusion
structures, odd dedents, lists, multi-line headings, inference rules, includes) go through
Argdown's CLI in one call (node starts once) and through `argdown.loads`. For each, the
statements (by text, with their titles and groups), the arguments and the endpoints of every
relation must agree, read through the mapping documented in `maps/formats/argdown`:

- a statement, or an argument without a structure, is a claim (keyed here by its text);
- an argument with a structure is a support from the premises of each inference to its
  conclusion (an inference's premises: its `uses`, else the statements since the previous
  conclusion, that conclusion included); what is aimed at the argument or its inference is
  aimed at the support of its last inference;
- `attack` and `undercut` are objections, `contradictory` two objections, one each way;
- tags are taken out of the text; a reconstructed argument's tags are its relation's.

A document Argdown refuses must be refused by argmap too, with a line.
`ARGDOWN_DIFFERENTIAL_DOCUMENTS=1500` runs more of them (about 30 s).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from argdown_documents import Document, document
from format_helpers import relation_keys

from maps.formats import argdown
from models import ArgmapError, InvalidInputError, MapContent

ARGDOWN_BIN = Path(__file__).parent / ".argdown" / "node_modules" / ".bin" / "argdown"
DOCUMENTS = int(os.environ.get("ARGDOWN_DIFFERENTIAL_DOCUMENTS", "60"))

Relation = tuple[str, frozenset[str], tuple[Any, ...]]
Claimed = tuple[str | None, str | None, list[str]]  # title, group, tags
TAG = re.compile(r"[ \t]*#(?:\([^)]*\)|[\w-]+)")


def run_argdown(folder: Path) -> Path:
    """Argdown's JSON export of every `*.argdown` in `folder`, in one run of its CLI."""
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed; Argdown's CLI (npm @argdown/cli) needs it")
    if not ARGDOWN_BIN.exists():
        pytest.skip(
            "Argdown's CLI is not installed; run `npm ci --prefix tests/maps/formats/.argdown`"
        )
    out = folder / "json"
    subprocess.run(
        [str(ARGDOWN_BIN), "json", str(folder / "*.argdown"), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return out


def write(folder: Path, name: str, doc: Document) -> Path:
    path = folder / f"{name}.argdown"
    path.write_text(doc.text, encoding="utf-8")
    for part, text in doc.parts.items():
        (folder / part).parent.mkdir(parents=True, exist_ok=True)
        (folder / part).write_text(text, encoding="utf-8")
    return path


def loader(folder: Path) -> argdown.Loader:
    def load(name: str, including: str) -> tuple[str, str]:
        path = folder / name
        if not path.exists():
            raise InvalidInputError(f"{name}: no such file")
        return name, path.read_text(encoding="utf-8")

    return load


# ------------------------------------------------------------------------------ Argdown's view


class ArgdownView:
    """Claims and relations as Argdown's JSON states them, read through the mapping."""

    def __init__(self, exported: dict[str, Any]) -> None:
        self.statements: dict[str, Any] = exported["statements"]
        self.arguments: dict[str, Any] = exported["arguments"]
        self.sections = _section_titles(exported.get("sections", []))
        self.main: dict[str, Relation] = {}
        self.inferences: set[Relation] = set()
        for title, argument in self.arguments.items():
            if argument.get("pcs"):
                self.reconstruction(title, argument["pcs"])
        self.relations = self.inferences | {
            relation for written in exported["relations"] for relation in self.relation(written)
        }

    def text(self, title: str) -> str:
        return _first_text(self.statements[title]["members"], title)

    def gist(self, title: str) -> str:
        return _first_text(self.arguments[title].get("members", []), title)

    def claims(self) -> dict[str, Claimed]:
        """Claim text -> (title, group, tags) of every statement and argument without a
        structure."""
        claims: dict[str, Claimed] = {}
        for title, ec in self.statements.items():
            untitled = title.startswith("Untitled ")
            section = self.sections.get(ec["members"][0].get("section"))
            tags = sorted(ec.get("tags", []))
            claims[self.text(title)] = (None if untitled else title, section, tags)
        for title, argument in self.arguments.items():
            if not argument.get("pcs"):
                section = self.sections.get(argument["members"][0].get("section"))
                claims[self.gist(title)] = (title, section, sorted(argument.get("tags", [])))
        return claims

    def relation_tags(self) -> dict[Relation, list[str]]:
        """The tags of each reconstructed argument, on the support of its last inference."""
        return {
            self.main[title]: sorted(argument["tags"])
            for title, argument in self.arguments.items()
            if argument.get("pcs") and argument.get("tags")
        }

    def reconstruction(self, title: str, pcs: list[dict[str, Any]]) -> None:
        previous = 0
        for index, statement in enumerate(pcs):
            inference = statement.get("inference")
            if inference is None:
                continue
            uses = (inference.get("data") or {}).get("uses")
            used = [pcs[n - 1] for n in uses] if uses else pcs[previous:index]
            support: Relation = (
                "support",
                frozenset(self.text(s["title"]) for s in used),
                ("claim", self.text(statement["title"])),
            )
            self.inferences.add(support)
            self.main[title] = support
            previous = index

    def endpoint(self, name: str, kind: str) -> tuple[Any, ...]:
        if kind == "equivalence-class":
            return ("claim", self.text(name))
        if kind == "inference" or self.arguments[name].get("pcs"):
            return ("relation", self.main[name])
        return ("claim", self.gist(name))

    def relation(self, written: dict[str, Any]) -> list[Relation]:
        source = self.endpoint(written["from"], written["fromType"])
        target = self.endpoint(written["to"], written["toType"])
        assert source[0] == "claim", (
            written
        )  # Argdown moves an argument's relations to its conclusion
        kind = "support" if written["relationType"] == "support" else "objection"
        relations: list[Relation] = [(kind, frozenset({source[1]}), target)]
        if written["relationType"] == "contradictory":
            relations.append(("objection", frozenset({target[1]}), source))
        return relations


def _first_text(members: list[dict[str, Any]], title: str) -> str:
    """The first text of an element's members, without the tags Argdown leaves in it."""
    text = next((m["text"] for m in members if (m.get("text") or "").strip()), title)
    return TAG.sub("", text).strip()


def _section_titles(sections: list[dict[str, Any]]) -> dict[str, str]:
    titles: dict[str, str] = {}
    for section in sections:
        titles[section["id"]] = section["title"]
        titles |= _section_titles(section.get("children", []))
    return titles


def argmap_view(
    content: MapContent,
) -> tuple[dict[str, Claimed], set[tuple[Any, ...]], dict[Any, list[str]]]:
    """Claims by text, relations by what they say, and the tags of relations that have some."""
    claims = {c.text: (c.title, c.group, sorted(c.tags)) for c in content.claims}
    texts = {c.id: c.text for c in content.claims}
    keys = relation_keys(content, with_notes=False, claim_names=texts)
    tags = {keys[r.id]: sorted(r.tags) for r in content.relations if r.tags}
    return claims, set(keys.values()), tags


# ------------------------------------------------------------------------------ the test


def test_argmap_reads_generated_documents_as_argdowns_cli_does(tmp_path: Path) -> None:
    documents = {f"doc{seed}": document(seed) for seed in range(DOCUMENTS)}
    for name, doc in documents.items():
        write(tmp_path, name, doc)
    out = run_argdown(tmp_path)
    compared = refused = 0
    for name, doc in documents.items():
        exported = out / f"{name}.json"
        if not exported.exists():
            with pytest.raises(ArgmapError) as error:
                argdown.loads(doc.text, includes=loader(tmp_path))
            assert error.value.loc[:1] == ("line",), (name, error.value)
            refused += 1
            continue
        content, _report = argdown.loads(doc.text, includes=loader(tmp_path))
        theirs = ArgdownView(json.loads(exported.read_text(encoding="utf-8")))
        claims, relations, tags = argmap_view(content)
        assert claims == theirs.claims(), name
        assert relations == theirs.relations, (name, relations ^ theirs.relations)
        assert tags == theirs.relation_tags(), name
        compared += 1
    # Most documents are ones Argdown accepts; some it refuses (mixed lists, broken blocks).
    assert compared >= DOCUMENTS * 0.75
    assert refused >= 1
