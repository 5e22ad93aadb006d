"""How a claim is named in a sentence a person reads: its title, or its text cut at a word.

quote(Claim(id="c1", text="Workers can run the factories they work in, without bosses."))
-> '“Workers can run the factories they work in, without…”'
quote(Claim(id="c1", title="Self-management", text="..."))  -> '“Self-management”'
"""

from __future__ import annotations

from models import Claim, DecisionRule, MapContent, Relation, RelationKind

QUOTE_MAX = 60


def cut(text: str, limit: int = QUOTE_MAX) -> str:
    """`text` on one line, at most `limit` characters, cut at a word boundary with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit - 1]
    if " " in head and not flat[limit - 1].isspace():
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:.") + "…"


def quote(claim: Claim, limit: int = QUOTE_MAX) -> str:
    """The claim in curly quotes: its title where it has one, else its text cut at a word."""
    return f"“{cut(claim.title or claim.text, limit)}”"


def rule_words(rule: DecisionRule) -> str:
    """The rule of decision in words: “grounded semantics, loose support, the preponderance
    standard, DF-QuAD strength”."""
    standard = rule.proof_standard.replace("_", " ")
    gradual = "DF-QuAD" if rule.gradual == "dfquad" else "quadratic energy"
    return (
        f"{rule.semantics} semantics, {rule.support} support, the {standard} standard, "
        f"{gradual} strength"
    )


def relation_phrase(relation: Relation, content: MapContent) -> str:
    """ "an objection to “…”", "a support for “…”", "an undercut of the inference to “…”"."""
    claims = {claim.id: claim for claim in content.claims}
    relations = {r.id: r for r in content.relations}
    target = relation.target_claim
    inference = relation.target_relation is not None
    if inference:
        undercut = relations.get(str(relation.target_relation))
        target = undercut.target_claim if undercut is not None else None
    named = quote(claims[target]) if target in claims else "another inference"
    if inference:
        kind = "an undercut of" if relation.kind == RelationKind.OBJECTION else "a support for"
        return f"{kind} the inference to {named}"
    kind = "an objection to" if relation.kind == RelationKind.OBJECTION else "a support for"
    return f"{kind} {named}"


def element_names(content: MapContent) -> dict[str, str]:
    """Every claim and relation of `content` by id, named as a person reads it."""
    names = {claim.id: quote(claim) for claim in content.claims}
    names.update({r.id: relation_phrase(r, content) for r in content.relations})
    return names
