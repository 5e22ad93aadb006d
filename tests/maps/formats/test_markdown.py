"""The Markdown handout: numbered outline, sources as footnotes, user text shown as typed."""

from __future__ import annotations

import re

from maps.formats import markdown
from maps.samples import load_sample
from models import Claim, MapContent, Relation, Source


def test_sample_handout() -> None:
    sample = load_sample()
    text, report = markdown.dumps(sample)
    assert text.startswith("# For Workers")
    # Theses are numbered headings; every claim's first words appear once in full.
    theses = re.findall(r"^## (\d+)\. ", text, re.MULTILINE)
    assert theses == [str(n) for n in range(1, len(theses) + 1)]
    assert len(theses) >= 3
    numbered = re.findall(r"^\s*- \*\*([\d.]+)\*\* \*([^*:]+)", text, re.MULTILINE)
    assert {label.split(" (")[0] for _, label in numbered} <= {
        "Support",
        "Objection",
        "Rebuttal",
        "Undercut",
        "Support of the link",
    }
    # Sources become footnotes, one per source.
    sources = sum(len(c.sources) for c in sample.claims)
    assert len(re.findall(r"^\[\^\d+\]: ", text, re.MULTILINE)) == sources
    assert len(set(re.findall(r"\[\^(\d+)\](?!:)", text))) == sources
    assert report.carried["sources"] == sources


def test_outline_numbers_links_linked_premises_and_undercuts() -> None:
    content = MapContent(
        title="T",
        claims=[
            Claim(
                id="t",
                text="Thesis",
                sources=[Source(citation="Book", locator="p. 3", url="https://example.org")],
            ),
            Claim(id="a", text="A"),
            Claim(id="b", text="B"),
            Claim(id="u", text="U"),
        ],
        relations=[
            Relation(id="r1", kind="support", premises=["a", "b"], target_claim="t"),
            Relation(id="r2", kind="objection", premises=["u"], target_relation="r1"),
            Relation(id="r3", kind="objection", premises=["a"], target_claim="u"),
        ],
    )
    text, _ = markdown.dumps(content)
    assert "## 1. Thesis[^1]" in text
    assert "- **1.1** *Support (together with 1.2):* A" in text
    assert "- **1.2** *Support (together with 1.1):* B" in text
    assert "    - **1.1.1** *Undercut:* U" in text
    assert "        - **1.1.1.1** *Rebuttal:* see 1.1: A" in text
    assert "[^1]: Book, p. 3. <https://example.org>" in text


def test_user_text_cannot_inject_markup() -> None:
    content = MapContent(
        title="<script>alert(1)</script>",
        claims=[
            Claim(
                id="t",
                text="**bold** <img src=x onerror=alert(1)> [link](javascript:x)\n# not a heading",
            ),
        ],
    )
    text, _ = markdown.dumps(content)
    assert not re.search(r"(?<!\\)<(script|img)", text)
    assert "\\<img" in text
    assert "\\*\\*bold\\*\\*" in text
    assert "\\[link\\]" in text
    assert "\n# not a heading" not in text
