"""Which claims stand: the result of evaluating a map (see maps/evaluation.py)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Generic, Literal, TypeVar

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, field_serializer

Label = Literal["in", "out", "undecided"]
# The words a person reads for each label: Stands, Defeated, Open.
Verdict = Literal["stands", "defeated", "open"]
VERDICTS: dict[str, Verdict] = {"in": "stands", "out": "defeated", "undecided": "open"}
VERDICT_LABELS: dict[Verdict, str] = {"stands": "Stands", "defeated": "Defeated", "open": "Open"}
MoveKind = Literal["rebut", "undercut", "accept"]
Answer = Literal["yes", "no", "undetermined"]
SemanticsName = Literal["grounded", "preferred", "stable"]
SupportMode = Literal["loose", "evidential"]
GradualName = Literal["dfquad", "quadratic_energy"]
ProofStandardName = Literal["scintilla", "preponderance", "dialectical_validity"]
Reason = Literal[
    "unattacked",  # in: nothing stands against it
    "defended",  # in: every objection against it is defeated
    "accepted",  # in: a starting point the group takes as given, and nothing defeats it
    "supported",  # in (evidential): a standing support, and every objection is defeated
    "defeated",  # out: an objection (or undercut) aimed at it stands
    "premise_out",  # out (relation): one of its premises is out
    "unsupported",  # out (evidential): no support of it stands
    "cycle",  # undecided: it sits in (or depends on) a cycle of attacks
    "extensions",  # preferred/stable: decided by the extensions, see credulous/sceptical
    "undetermined",  # preferred/stable: the time budget ran out first
    "no_stable_extension",  # stable: the map has no stable extension
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DefenceStep(_Model):
    """One node of an explanation tree: an element, its label and why."""

    id: str
    kind: Literal["claim", "relation"]
    label: Label
    reason: Reason
    text: str | None = Field(default=None, description="The claim text (claims only).")
    children: list[DefenceStep] = Field(default_factory=list)
    truncated: bool = Field(
        default=False,
        description="Not all of what is below this node is shown: the depth limit, the branch "
        "limit (5) or the node budget cut it.",
    )


class Explanation(_Model):
    """Why an element has its label, as data (the `explanation` sentences say the same)."""

    reason: Reason
    defeaters: list[str] = Field(
        default_factory=list,
        description="`out`: the standing objections (or premises) that defeat it.",
    )
    defence: list[DefenceStep] = Field(
        default_factory=list,
        description="`in`: each objection against it and what defeats that objection, "
        "to a bounded depth and at most a bounded number of nodes (cut breadth-first).",
    )
    cycle: list[str] = Field(
        default_factory=list,
        description="`undecided`: ids along the cycle of attacks, the first repeated at the end.",
    )
    via: list[str] = Field(
        default_factory=list,
        description="`undecided`: the path from this element to the cycle it depends on.",
    )
    truncated: bool = Field(
        default=False,
        description="The defence trees were cut: by the depth limit, the branch limit or the "
        "node budget (see each node's `truncated`).",
    )


class ProofStandards(_Model):
    """Carneades proof standards, judged on the standing supports and objections of a claim.

    A support or objection *stands* when its relation is labelled `in`; its weight is the weight
    of its weakest premise (claim `weight`, default 0.5). `undetermined` when an undecided
    relation could tip the answer.
    """

    scintilla: Answer = Field(description="At least one standing support.")
    preponderance: Answer = Field(
        description="The strongest standing support outweighs the strongest standing objection."
    )
    dialectical_validity: Answer = Field(
        description="A standing support and no standing objection."
    )
    standing_supports: list[str] = Field(default_factory=list)
    standing_objections: list[str] = Field(default_factory=list)
    support_weight: float | None = Field(default=None, description="Strongest standing support.")
    objection_weight: float | None = Field(
        default=None, description="Strongest standing objection."
    )


class ElementEvaluation(_Model):
    id: str
    label: Label = Field(
        description="grounded: the grounded label. preferred/stable: `in` when sceptically "
        "accepted, `out` when out in every extension, else `undecided`."
    )
    credulous: Answer | None = Field(
        default=None, description="preferred/stable: in at least one extension."
    )
    sceptical: Answer | None = Field(
        default=None, description="preferred/stable: in every extension."
    )
    verdict: Verdict = Field(
        description="The label in plain words: stands (in), defeated (out), open (undecided)."
    )
    verdict_label: str = Field(description="The verdict as shown: Stands, Defeated or Open.")
    strength: float | None = Field(default=None, description="Gradual strength in [0, 1].")
    sentences: list[str] = Field(
        description="Why, as a few short plain sentences quoting claims by title or text "
        "(never by id)."
    )
    explanation: str = Field(description="The sentences as one paragraph.")
    why: Explanation


class Move(_Model):
    """One change to the map that would change a claim's verdict, found by re-evaluating."""

    kind: MoveKind = Field(
        description="rebut: add an objection to the premise `claim` of objection `relation`; "
        "undercut: add an objection aimed at the relation `relation` itself; accept: mark "
        "`claim` as a starting point."
    )
    relation: str | None = Field(default=None, description="The relation the move answers.")
    claim: str | None = Field(
        default=None, description="rebut: the premise to object to; accept: the claim."
    )
    verdict: Verdict = Field(description="The claim's verdict after the move.")
    sentence: str = Field(description="The move in plain words.")


class ClaimEvaluation(ElementEvaluation):
    proof_standards: ProofStandards
    meets_standard: Answer = Field(
        description="Whether the claim meets the proof standard of the map's rule of decision "
        "(`Evaluation.proof_standard`): the answer of that standard in `proof_standards`."
    )
    strength_text: str | None = Field(
        default=None,
        description="What the strength means: the support balance, its base and what moved it.",
    )
    changes: list[Move] | None = Field(
        default=None,
        description="Defeated or open claims: the single moves that would change the verdict "
        "(re-evaluated, not guessed). None: not searched (the claim stands, or the budget of "
        "re-evaluations ran out first).",
    )


class RelationEvaluation(ElementEvaluation):
    kind: Literal["support", "objection"]


class GradualReport(_Model):
    method: GradualName
    converged: bool = Field(description="False: the iteration cap (or time budget) came first.")
    iterations: int
    max_delta: float = Field(description="Largest change in the last iteration.")
    tolerance: float


class AcceptanceReport(_Model):
    """How far the preferred/stable search got (absent for grounded)."""

    extensions_exist: bool | None = Field(
        description="stable: whether any stable extension exists (None: not settled in budget)."
    )
    undetermined: int = Field(description="Claims and relations the budget did not settle.")
    budget_seconds: float


ElementT = TypeVar("ElementT", bound=ElementEvaluation)


class LazyElements(Mapping[str, ElementT], Generic[ElementT]):
    """Elements held as plain data (the JSON shape), each made into its model on first access.

    A 1000-claim evaluation has some 10,000 nested models; validating them all costs more than
    the evaluation itself, while the API only serialises the data and most callers read a few
    labels. The data must have every field of the model (defaults included): it is what the
    JSON says.
    """

    __slots__ = ("_made", "_model", "data")

    def __init__(self, model: type[ElementT], data: dict[str, dict[str, Any]]) -> None:
        self._model = model
        self.data = data
        self._made: dict[str, ElementT] = {}

    def __getitem__(self, key: str) -> ElementT:
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._model.model_validate(self.data[key])
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"LazyElements({self._model.__name__}, {len(self.data)} elements)"


class Evaluation(_Model):
    """Labels, strengths and explanations of every claim and relation of a map."""

    version: int | None = Field(default=None, description="The map version evaluated.")
    semantics: SemanticsName
    support: SupportMode
    proof_standard: ProofStandardName = Field(
        description="The proof standard each claim's `meets_standard` answers."
    )
    gradual: GradualReport
    acceptance: AcceptanceReport | None = None
    counts: dict[Label, int] = Field(description="How many claims have each label.")
    verdicts: dict[Verdict, int] = Field(description="The same counts by verdict.")
    changes_searched: int = Field(
        description="Defeated or open claims whose single moves were searched (`changes`)."
    )
    changes_complete: bool = Field(
        description="False: the budget of re-evaluations ran out before every defeated or "
        "open claim was searched."
    )
    claims: dict[str, ClaimEvaluation]
    relations: dict[str, RelationEvaluation]

    # No return annotation on purpose: pydantic would take it as the serialisation schema.
    @field_serializer("claims", "relations", mode="wrap")
    def _dump_elements(self, value: Any, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        if isinstance(value, LazyElements):
            return value.data  # already in the JSON shape
        return handler(value)

    def json_bytes(self) -> bytes:
        """The evaluation as JSON bytes (the API's response body), the same as model_dump_json.

        Elements still held as plain data are written straight from it.
        """
        claims, relations = self.claims, self.relations
        if isinstance(claims, LazyElements) and isinstance(relations, LazyElements):
            head = self.model_dump(mode="json", exclude={"claims", "relations"})
            document = {**head, "claims": claims.data, "relations": relations.data}
            return pydantic_core.to_json(document)
        return self.model_dump_json().encode()

    @classmethod
    def from_data(
        cls,
        document: dict[str, Any],
        claims: dict[str, dict[str, Any]],
        relations: dict[str, dict[str, Any]],
    ) -> Evaluation:
        """An evaluation over plain data: the summary validated, the elements on first access."""
        summary = cls.model_validate({**document, "claims": {}, "relations": {}})
        summary.claims = LazyElements(ClaimEvaluation, claims)  # type: ignore[assignment]
        summary.relations = LazyElements(RelationEvaluation, relations)  # type: ignore[assignment]
        return summary
