"""A parsed Argdown `Document` turned into argmap's `MapContent`, with a report of what changed.

- Every statement is a claim, and so is every argument without a premise-conclusion structure.
  Ids: titled elements first (their ids are what users wrote), then the untitled ones (an id
  from their first words, or the one argmap's export recorded for them in the front matter). Of several texts of one element the last wins, or the one marked
  `{isCanonical: true}`; the others are reported.
- `{data}` keys that are claim fields (`note`, `author`, `accepted`, `weight`, `sources`) fill
  them; a value that is not valid for its field stays in the claim's data, and the report says
  so.
- An argument with a premise-conclusion structure is a relation: the premises of its last
  inference support its conclusion (relation id = the argument's title, its text the note);
  each earlier inference is a support of its own (`<id>-step<n>`).
- Written relations come last. Those aimed at a relation wait until their target exists, so
  that chains of undercuts come out in any order of writing.
- Elements marked as implied conclusions (`{"argmap": "implied"}`, written by the export) and
  untitled statements without text become nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from maps.formats.argdown.document import (
    CLAIM_DATA_FIELDS,
    IMPLIED_KEY,
    IMPLIED_VALUE,
    RULE_KEY,
    Document,
    Element,
    ExportNames,
    Member,
    PcsStatement,
    RawRelation,
    Reconstruction,
    Ref,
    error_at,
)
from maps.formats.common import IdPool, ImportLimits
from maps.validation import relation_key
from models import (
    Claim,
    InvalidInputError,
    LimitExceededError,
    MapContent,
    Relation,
    RelationKind,
    Source,
)
from models.report import ConversionReport
from models.text import CLAIM_TITLE_MAX

DEFAULT_TITLE = "Imported Argdown map"


@dataclass
class _Built:
    claims: dict[tuple[str, str], str] = field(default_factory=dict)  # element key -> claim id
    main_relation: dict[str, str] = field(default_factory=dict)  # argument title -> relation id
    premises: dict[str, list[str]] = field(default_factory=dict)  # argument title -> premise ids
    outgoing: dict[str, list[str]] = field(default_factory=dict)  # claim id -> relation ids


@dataclass
class _Arguer:
    """Who argues in a written relation: one claim, or the linked premises of an argument."""

    premises: list[str]
    relation_id: str | None = None  # the argument's own relation id, if it is still free
    note: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)


class Builder:
    """Builds one map from one `Document`; what it cannot carry goes into the report."""

    def __init__(self, doc: Document, report: ConversionReport, limits: ImportLimits) -> None:
        self.doc = doc
        self.report = report
        self.limits = limits
        self.pool = IdPool()
        self.built = _Built()
        self.claims: dict[str, Claim] = {}
        self.relations: dict[str, Relation] = {}
        self.keys: dict[tuple[Any, ...], str] = {}
        self.implied: set[tuple[str, str]] = set()
        self.names = ExportNames.read(doc.front.get(IMPLIED_KEY), self.report)
        self._statement_attacks: dict[str, set[str]] | None = None

    def drop(
        self,
        what: str,
        reason: str,
        *,
        line: int | None = None,
        column: int | None = None,
        element: str | None = None,
    ) -> None:
        self.report.drop(what, reason, line=line, column=column, element=element)

    def drop_at(self, raw: RawRelation, what: str, reason: str) -> None:
        """Report what became of a written relation, at its place in the file."""
        self.drop(what, reason, line=raw.line, column=raw.column)

    def build(self, title: str | None) -> MapContent:
        self.mark_implied()
        self.assign_ids()
        for key, element in self.doc.elements.items():
            if key in self.built.claims:
                self.claims[self.built.claims[key]] = self.claim(element, self.built.claims[key])
        for argument, pcs in self.doc.reconstructions.items():
            self.reconstruction(argument, pcs)
        self.written_relations()
        return self.content(title)

    def mark_implied(self) -> None:
        """Elements that stand for nothing: implied conclusions, untitled statements without text."""
        for key, element in self.doc.elements.items():
            if any(m.data.get(IMPLIED_KEY) == IMPLIED_VALUE for m in element.members):
                self.implied.add(key)
            elif element.untitled and not any(m.text for m in element.members):
                self.implied.add(key)
                self.drop(
                    "statement", "an untitled statement without text", line=element.first_line
                )

    def assign_ids(self) -> None:
        # Titled elements first (their ids are what users wrote), then the untitled ones.
        ordered = sorted(self.doc.elements.items(), key=lambda item: item[1].untitled)
        for key, element in ordered:
            if key in self.implied:
                continue
            if element.untitled:
                # argmap's export maps the names Argdown gives plain statements to their ids
                text = next((m.text for m in element.members if m.text), "")
                wanted = " ".join(text.split()[:6]) or "untitled"
                element_id = self.pool.claim(self.names.ids.get(element.title, wanted[:40]))
            else:
                named = self.names.ids if element.kind == "statement" else {}
                element_id = self.pool.claim(named.get(element.title, element.title))
            if element.kind == "argument" and element.title in self.doc.reconstructions:
                self.built.main_relation[element.title] = element_id
            else:
                self.built.claims[key] = element_id

    def written_relations(self) -> None:
        # Relations aimed at relations wait until their targets exist (chains of undercuts).
        waiting = list(self.doc.relations)
        while waiting:
            deferred = [raw for raw in waiting if not self.raw_relation(raw, final=False)]
            if len(deferred) == len(waiting):
                for raw in deferred:
                    self.raw_relation(raw, final=True)
                break
            waiting = deferred

    def content(self, title: str | None) -> MapContent:
        """The map: title and description from the front matter, unless `title` is given."""
        front = self.doc.front
        front_title = front.get("title")
        description = front.get("description", front.get("subTitle", ""))
        for name in front:
            if name not in ("title", "description", "subTitle", IMPLIED_KEY, RULE_KEY):
                self.drop(
                    f"front matter '{name}'",
                    "Argdown settings have no place in an argmap map",
                    line=1,
                )
        if not isinstance(description, str):
            description = str(description)
        # A title the user chose wins over the file's own.
        content_title = title or (
            str(front_title) if front_title not in (None, "") else DEFAULT_TITLE
        )
        try:
            return MapContent(
                title=" ".join(content_title.split())[:200] or DEFAULT_TITLE,
                description=description,
                rule=front.get(RULE_KEY) or {},
                claims=list(self.claims.values()),
                relations=list(self.relations.values()),
            )
        except ValidationError as error:
            first = error.errors()[0]
            raise InvalidInputError(f"front matter: {first['msg']}", loc=("line", 1)) from None

    # ---------------------------------------------------------------- claims

    def claim(self, element: Element, claim_id: str) -> Claim:
        canonical = self.canonical_member(element, claim_id)
        tags: dict[str, None] = {}
        data: dict[str, Any] = {}
        for member in element.members:
            for tag in member.tags:
                tags.setdefault(tag, None)
            data.update(member.data)
        data.pop("isCanonical", None)
        line = canonical.line if canonical else element.first_line
        column = canonical.column if canonical else None
        fields = self.claim_fields(data, line=line, claim_id=claim_id)
        text = canonical.text if canonical and canonical.text else element.title
        group = canonical.group if canonical else element.first_group
        values = {"id": claim_id, "text": text, "tags": list(tags), "data": data, "group": group}
        values["title"] = self.claim_title(element, claim_id)
        return self.valid_claim(values | fields, element, line=line, column=column)

    def claim_title(self, element: Element, claim_id: str) -> str | None:
        """The element's title as the claim's: `[Title]` and `<Title>`, not the names Argdown
        gives untitled statements nor those argmap's export gives claims without a title."""
        if element.untitled or (
            element.kind == "statement" and element.title in self.names.untitled
        ):
            return None
        if len(element.title) > CLAIM_TITLE_MAX:
            self.drop(
                "title",
                f"longer than {CLAIM_TITLE_MAX} characters; it names the claim but is not its title",
                line=element.first_line,
                element=claim_id,
            )
            return None
        return element.title

    def canonical_member(self, element: Element, claim_id: str) -> Member | None:
        """The occurrence whose text the claim keeps; other texts are reported."""
        defining = [m for m in element.members if m.text]
        canonical = defining[-1] if defining else None
        for member in defining:
            if member.data.get("isCanonical"):
                canonical = member
        for member in defining:
            if member is not canonical and canonical is not None and member.text != canonical.text:
                self.drop(
                    "text",
                    f"{element.shown()} has another text at line {canonical.line}; argmap keeps "
                    "that one",
                    line=member.line,
                    column=member.column,
                    element=claim_id,
                )
        return canonical

    def claim_fields(self, data: dict[str, Any], *, line: int, claim_id: str) -> dict[str, Any]:
        """Take the `{data}` keys that are claim fields out of `data`, as field values."""
        fields: dict[str, Any] = {}
        for name in CLAIM_DATA_FIELDS:
            if name in data:
                value = data[name]
                if name == "sources" and isinstance(value, list):
                    try:
                        fields[name] = [Source.model_validate(s) for s in value]
                    except ValidationError:
                        self.drop(
                            "data 'sources'",
                            "not a list of sources (citation, url, quote, locator); kept as data",
                            line=line,
                            element=claim_id,
                        )
                        continue
                else:
                    fields[name] = value
                del data[name]
        return fields

    def valid_claim(
        self, values: dict[str, Any], element: Element, *, line: int, column: int | None
    ) -> Claim:
        try:
            return Claim.model_validate(values)
        except ValidationError as error:
            # A bad value for a claim field from {data}: keep it as data instead, if that helps.
            bad = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
            movable = bad & set(CLAIM_DATA_FIELDS)
            if movable and bad == movable:
                for name in movable:
                    values["data"][name] = values.pop(name)
                    self.drop(
                        f"data '{name}'",
                        f"not a valid {name}; kept as data",
                        line=line,
                        element=values["id"],
                    )
                try:
                    return Claim.model_validate(values)
                except ValidationError as again:
                    error = again
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise error_at(f"{element.shown()}: {where}: {first['msg']}", line, column) from None

    # ---------------------------------------------------------------- relations

    def add_relation(
        self,
        relation_id: str | None,
        kind: RelationKind,
        premises: list[str],
        *,
        target_claim: str | None = None,
        target_relation: str | None = None,
        line: int,
        column: int | None = None,
        note: str | None = None,
        author: str | None = None,
        tags: list[str] | None = None,
    ) -> str | None:
        """Add a relation (or find the same one); its id, or None if it cannot stand."""
        premises = list(dict.fromkeys(premises))
        if target_claim is not None and target_claim in premises:
            verb = "support" if kind is RelationKind.SUPPORT else "object to"
            self.drop(
                "relation",
                f"a claim cannot {verb} itself",
                line=line,
                column=column,
                element=target_claim,
            )
            return None
        shape: dict[str, Any] = {
            "kind": kind,
            "premises": premises,
            "target_claim": target_claim,
            "target_relation": target_relation,
        }
        key = relation_key(Relation(id="probe", **shape))
        if key in self.keys:
            return self.keys[key]
        if len(self.relations) >= self.limits.max_relations:
            raise LimitExceededError(
                f"more than {self.limits.max_relations} relations (the limit per map)",
                loc=("line", line),
            )
        relation_id = relation_id or self.pool.next("r")
        if relation_id in self.relations:
            relation_id = self.pool.claim(relation_id)
        try:
            relation = Relation(id=relation_id, **shape, note=note, author=author, tags=tags or [])
        except ValidationError as error:
            first = error.errors()[0]
            raise error_at(f"relation: {first['msg']}", line, column) from None
        self.relations[relation_id] = relation
        self.keys[key] = relation_id
        for premise in premises:
            self.built.outgoing.setdefault(premise, []).append(relation_id)
        return relation_id

    def statement_claim(self, ref: Ref) -> str | None:
        return self.built.claims.get((ref.kind, ref.title))

    def reconstruction(self, argument: str, pcs: Reconstruction) -> None:
        """The supports of an argument's inferences; the last one is the argument's relation."""
        main_id = self.built.main_relation[argument]
        note, author, tags = self.argument_extras(argument, main_id)
        self.built.premises[argument] = self._claims_of(pcs.inferences[-1].premises)
        for index, inference in enumerate(pcs.inferences):
            assert inference.conclusion is not None
            if inference.rules:
                self.drop(
                    "inference rule",
                    f"{', '.join(inference.rules)}: argmap relations name no inference rule",
                    line=inference.line,
                    element=main_id,
                )
            conclusion = inference.conclusion.ref
            last = index == len(pcs.inferences) - 1
            if (conclusion.kind, conclusion.title) in self.implied:
                if not last:
                    self.drop(
                        "implied conclusion",
                        "only the last conclusion may be implied",
                        line=inference.line,
                        element=main_id,
                    )
                continue
            target = self.statement_claim(conclusion)
            if target is None:
                self.drop(
                    "conclusion",
                    "an argument cannot be the conclusion of an inference",
                    line=conclusion.line,
                    element=main_id,
                )
                continue
            step_premises = self._claims_of(inference.premises)
            if not step_premises:
                continue
            made = self.add_relation(
                main_id if last else self.pool.claim(f"{main_id}-step{index + 1}"),
                RelationKind.SUPPORT,
                step_premises,
                target_claim=target,
                line=inference.line,
                note=note if last else None,
                author=author if last else None,
                tags=tags if last else None,
            )
            if last and made is not None and made != main_id:
                # The same support was already stated elsewhere: the argument is that relation.
                self.built.main_relation[argument] = made

    def argument_extras(
        self, argument: str, main_id: str
    ) -> tuple[str | None, str | None, list[str]]:
        """An argument's note, author and tags; its other data is reported."""
        element = self.doc.elements[("argument", argument)]
        note, author, tags = self._argument_note(argument)
        data = self._argument_data(argument)
        if author is not None:
            del data["author"]
        for key in data:
            self.drop(
                f"data '{key}'",
                f"argument <{argument}> is a relation, whose note is the argument's text"
                if key == "note"
                else f"argument <{argument}> is a relation, and relations keep no data",
                line=element.first_line,
                element=main_id,
            )
        return note, author, tags

    def _argument_data(self, argument: str) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for member in self.doc.elements[("argument", argument)].members:
            data.update(member.data)
        return data

    def _claims_of(self, statements: list[PcsStatement]) -> list[str]:
        result = []
        for statement in statements:
            claim_id = self.statement_claim(statement.ref)
            if claim_id is None:
                self.drop(
                    "premise",
                    "an implied or argument premise cannot be a claim",
                    line=statement.ref.line,
                    element=statement.ref.title,
                )
                continue
            result.append(claim_id)
        return result

    def _has_main(self, argument: str) -> bool:
        return self.built.main_relation.get(argument) in self.relations

    # ---------------------------------------------------------------- written relations

    def raw_relation(self, raw: RawRelation, *, final: bool) -> bool:
        """Turn one written relation into argmap relations; False if it must wait for its target."""
        if raw.kind == "contradiction":
            self.contradiction(raw)
            return True
        if (raw.source.kind, raw.source.title) in self.implied:
            self.drop_at(
                raw,
                "relation",
                "an implied conclusion stands for its argument; write the relation on the argument",
            )
            return True
        arguer = self.arguer(raw.source)
        if not arguer.premises:
            self.drop_at(raw, "relation", "it has no premises argmap can use")
            return True
        if (raw.target.kind, raw.target.title) in self.implied:
            self.drop_at(raw, "relation", "a relation cannot aim at an implied conclusion")
            return True
        if raw.target.kind == "argument" and raw.target.title in self.doc.reconstructions:
            return self.aim_at_argument(raw, arguer, final=final)
        target_claim = self.statement_claim(raw.target)
        if target_claim is None:
            self.drop_at(raw, "relation", f"{raw.target.shown()} is not a claim")
            return True
        if raw.kind == "undercut":
            return self.undercut(raw, target_claim, arguer, final=final)
        if (
            raw.kind == "support"
            and raw.source.kind == "argument"
            and arguer.premises == [target_claim]
        ):
            return True  # `[C]` with `+ <A>`, C the conclusion of A: its structure says so
        kind = RelationKind.SUPPORT if raw.kind == "support" else RelationKind.OBJECTION
        self.add_relation(
            arguer.relation_id,
            kind,
            arguer.premises,
            target_claim=target_claim,
            line=raw.line,
            column=raw.column,
            note=arguer.note,
            author=arguer.author,
            tags=arguer.tags,
        )
        return True

    def contradiction(self, raw: RawRelation) -> None:
        """`[A] >< [B]`: two objections, one each way."""
        a = self.statement_claim(raw.source)
        b = self.statement_claim(raw.target)
        if a is None or b is None:
            self.drop_at(raw, "contradiction", "only statements can contradict each other")
            return
        self.add_relation(
            None, RelationKind.OBJECTION, [a], target_claim=b, line=raw.line, column=raw.column
        )
        self.add_relation(
            None, RelationKind.OBJECTION, [b], target_claim=a, line=raw.line, column=raw.column
        )
        self.drop_at(
            raw,
            "contradiction",
            f"[{raw.source.title}] >< [{raw.target.title}] is kept as two objections, one each way",
        )

    def arguer(self, source: Ref) -> _Arguer:
        """Who argues: a claim, or the linked premises of an argument's reconstruction."""
        if source.kind == "argument" and source.title in self.doc.reconstructions:
            conclusion = self.main_conclusion(source.title)
            if conclusion is not None:
                return _Arguer([conclusion])
            premises = self.built.premises.get(source.title, [])
            relation_id = (
                None if self._has_main(source.title) else self.built.main_relation[source.title]
            )
            if relation_id is None:
                return _Arguer(premises)
            note, author, tags = self._argument_note(source.title)
            return _Arguer(premises, relation_id, note, author, tags)
        claim_id = self.statement_claim(source)
        return _Arguer([claim_id] if claim_id else [])

    def main_conclusion(self, argument: str) -> str | None:
        """The claim an argument's last inference concludes; None if it is implied."""
        conclusion = self.doc.reconstructions[argument].inferences[-1].conclusion
        assert conclusion is not None
        return self.statement_claim(conclusion.ref)

    def aim_at_argument(self, raw: RawRelation, arguer: _Arguer, *, final: bool) -> bool:
        """A relation aimed at an argument with a reconstruction aims at its relation."""
        target_relation = self.built.main_relation[raw.target.title]
        if target_relation not in self.relations:
            if not final:
                return False
            self.drop_at(raw, "relation", f"<{raw.target.title}> carries no relation to aim at")
            return True
        if raw.kind == "attack" and self.attacks_a_premise(raw):
            return True  # Argdown, too, takes it for that attack on the premise
        if raw.kind == "attack":
            self.drop_at(
                raw,
                "attack on an argument",
                f"the attack on <{raw.target.title}> is kept as an objection to its inference "
                "(argmap does not record which premise is attacked)",
            )
        kind = RelationKind.SUPPORT if raw.kind == "support" else RelationKind.OBJECTION
        self.add_relation(
            arguer.relation_id,
            kind,
            arguer.premises,
            target_relation=target_relation,
            line=raw.line,
            column=raw.column,
            note=arguer.note,
            author=arguer.author,
            tags=arguer.tags,
        )
        return True

    def attacks_a_premise(self, raw: RawRelation) -> bool:
        """Whether the statement attacking an argument also attacks (or contradicts) one of its
        premises: then, as in Argdown, the attack on the argument is that attack."""
        if raw.source.kind != "statement":
            return False
        pcs = self.doc.reconstructions[raw.target.title]
        concluded = {i.conclusion.ref.title for i in pcs.inferences if i.conclusion}
        premises = {s.ref.title for s in pcs.statements if s.ref.kind == "statement"} - concluded
        return bool(self.statement_attacks().get(raw.source.title, set()) & premises)

    def statement_attacks(self) -> dict[str, set[str]]:
        """Statement title -> the statements it attacks or contradicts (found once)."""
        if self._statement_attacks is None:
            self._statement_attacks = {}
            for raw in self.doc.relations:
                if raw.source.kind != "statement" or raw.target.kind != "statement":
                    continue
                if raw.kind in ("attack", "contradiction"):
                    self._statement_attacks.setdefault(raw.source.title, set()).add(
                        raw.target.title
                    )
                if raw.kind == "contradiction":
                    self._statement_attacks.setdefault(raw.target.title, set()).add(
                        raw.source.title
                    )
        return self._statement_attacks

    def undercut(
        self, raw: RawRelation, target_claim: str, arguer: _Arguer, *, final: bool
    ) -> bool:
        """An undercut of an argument-claim aims at the relations that claim argues in."""
        aimed = [r for r in self.built.outgoing.get(target_claim, []) if r in self.relations]
        if raw.target.kind == "argument" and not aimed and not final:
            return False
        if raw.target.kind == "statement" or not aimed:
            self.drop_at(
                raw, "undercut", f"{raw.target.shown()} has no inference of its own to undercut"
            )
            return True
        relation_id = arguer.relation_id  # only the first of them takes the argument's id
        for target_relation in aimed:
            self.add_relation(
                relation_id,
                RelationKind.OBJECTION,
                arguer.premises,
                target_relation=target_relation,
                line=raw.line,
                column=raw.column,
                note=arguer.note,
                author=arguer.author,
                tags=arguer.tags,
            )
            relation_id = None
        return True

    def _argument_note(self, argument: str) -> tuple[str | None, str | None, list[str]]:
        """The note (last text), author (a text in `{author: ...}`) and tags of an argument."""
        element = self.doc.elements[("argument", argument)]
        texts = [m.text for m in element.members if m.text]
        author = self._argument_data(argument).get("author")
        tags = list(dict.fromkeys(tag for m in element.members for tag in m.tags))
        return (texts[-1] if texts else None), (author if isinstance(author, str) else None), tags
