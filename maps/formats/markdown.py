"""A map as a Markdown handout: a numbered outline with sources as footnotes (export only).

A claim with a title shows it in bold before its text: `## 1. **Free museums:** Museums should
be free to enter.` Every claim carries its verdict in the words the app uses (*Stands*,
*Defeated*, *Open*) under the map's rule of decision, named under the title; a thesis also says
why in a few sentences."""

from __future__ import annotations

import re

from maps.evaluation import evaluate
from maps.formats.common import count_content, drop_fields, drop_timestamps
from maps.formats.outline import Entry, Outline, build_outline, label
from maps.quote import rule_words
from models import Claim, MapContent, Source
from models.report import ConversionReport

FORMAT = "markdown"
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~{}!])")
_LINE_START = re.compile(r"^(\s*)(\d+)([.)])(\s)|^(\s*)([-+=>])(\s|$)")


def escape(text: str) -> str:
    """User text that Markdown shows as typed (no markup, no raw HTML)."""
    text = _SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")
    lines = []
    for line in text.split("\n"):
        lines.append(
            _LINE_START.sub(
                lambda m: (
                    (m.group(1) + m.group(2) + "\\" + m.group(3) + m.group(4))
                    if m.group(2)
                    else (m.group(5) + "\\" + m.group(6) + m.group(7))
                ),
                line,
            )
        )
    return "\n".join(lines)


def _source(source: Source) -> str:
    parts = [escape(source.citation)]
    if source.locator:
        parts.append(escape(source.locator))
    text = ", ".join(parts) + "."
    if source.quote:
        text += f" “{escape(source.quote)}”"
    if source.url:
        text += f" <{source.url}>"
    return text.replace("\n", " ")


def _indent(text: str, spaces: int) -> str:
    """Continuation lines of a list item, kept inside the item with hard line breaks."""
    pad = " " * spaces
    return ("  \n" + pad).join(text.split("\n"))


def dumps(content: MapContent) -> tuple[str, ConversionReport]:
    """The handout: title, description, the numbered outline, then the footnotes."""
    report = ConversionReport(format=FORMAT, direction="export")
    outline: Outline = build_outline(content)
    numbers = {entry.claim.id: entry.number for entry in outline.walk() if entry.link is None}
    verdicts = evaluate(content, explanation_depth=1).claims
    lines = [f"# {escape(' '.join(content.title.split()))}", ""]
    if content.description:
        lines += [escape(content.description), ""]
    lines += [f"*Rule of decision:* {rule_words(content.rule)}.", ""]
    footnotes: list[str] = []

    def verdict(claim: Claim) -> str:
        return f"*{verdicts[claim.id].verdict_label}*"

    def claim_text(entry: Entry, depth: int) -> str:
        claim = entry.claim
        text = _indent(escape(claim.text), 2 + depth * 4 if depth else 0)
        if claim.title:
            text = f"**{escape(claim.title)}:** {text}"
        marks = ""
        for source in claim.sources:
            footnotes.append(_source(source))
            marks += f"[^{len(footnotes)}]"
        if claim.tags:
            marks += " " + " ".join(f"`#{tag.replace('`', '')}`" for tag in claim.tags)
        return text + marks

    for root in outline.roots:
        stack: list[tuple[Entry, int]] = [(root, 0)]
        while stack:
            entry, depth = stack.pop()
            if depth == 0:
                lines += [f"## {entry.number}. {claim_text(entry, 0)}", ""]
                said = " ".join(escape(s) for s in verdicts[entry.claim.id].sentences)
                lines += [f"{verdict(entry.claim)}: {said}", ""]
                if entry.claim.note:
                    lines += [f"*Note:* {escape(entry.claim.note)}", ""]
                if entry.claim.group:
                    lines += [f"*Section:* {escape(entry.claim.group)}", ""]
            else:
                pad = "    " * (depth - 1)
                what = label(entry, outline)
                relation = entry.relation
                assert relation is not None
                extra = ""
                if len(relation.premises) > 1:
                    others = [numbers.get(p, p) for p in relation.premises if p != entry.claim.id]
                    extra = f" (together with {', '.join(others)})"
                if entry.link is not None:
                    body = (
                        f"see {'.'.join(map(str, entry.link))}: {escape(_short(entry.claim.text))}"
                    )
                else:
                    body = claim_text(entry, depth)
                lines.append(
                    f"{pad}- **{entry.number}** *{what}{extra}:* {body} — {verdict(entry.claim)}"
                )
                if entry.link is None and entry.claim.note:
                    lines.append(
                        f"{pad}    *Note:* {_indent(escape(entry.claim.note), len(pad) + 4)}"
                    )
                if relation.note and relation.premises[0] == entry.claim.id:
                    lines.append(f"{pad}    *Why:* {_indent(escape(relation.note), len(pad) + 4)}")
            children = [(child, depth + 1) for child in entry.children]
            stack.extend(reversed(children))
        while lines and lines[-1] == "":
            lines.pop()
        lines.append("")
    if footnotes:
        lines += ["---", ""]
        lines += [f"[^{n}]: {text}" for n, text in enumerate(footnotes, start=1)]
        lines.append("")
    drop_fields(
        report,
        content,
        ("author", "accepted", "weight", "data"),
        ("author", "tags"),
        "the handout shows titles, text, claim tags, sources, notes and sections only",
    )

    drop_timestamps(report, content, "the handout has no timestamps")
    count_content(report, content)
    return "\n".join(lines), report


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
