"""Argdown text: import and export.

How Argdown maps onto argmap (and back), checked against Argdown's own CLI (tests/maps/formats/
test_argdown_differential.py compares the two on generated documents):

- A statement (`[Title]: text`, every `[Title]` the same one) is a claim. Its title is the
  claim's `title` and its identity: its id is the title made into an id (`Four days` ->
  `Four-days`). Untitled statements (Argdown names them `Untitled 1`, ...) have no title and an
  id from their words. A statement only referenced takes its title as its text.
- An argument without a premise-conclusion structure (`<Title>: text`) is a claim too (titled):
  its gist is what supports or attacks. An argument *with* a structure is a relation: the
  premises of its last inference, linked, support its conclusion (relation id = the argument's
  title, its description the note, its `#tags` the relation's tags); each earlier inference
  is a support of its own (an inference's premises: its `{uses: [...]}`, else the statements
  since the previous conclusion, that conclusion included). Inference rules
  (`-- Modus ponens --`, or the rule on its own line between two `--` lines) are reported.
- What a reconstructed argument supports or attacks is its conclusion's relation: Argdown moves
  the outgoing relations of an argument with a structure to its main conclusion, and so does
  argmap (`<A>` with `-> [T]` and conclusion `[C]` is the objection C -> T). Where the
  conclusion is an implied one (`{"argmap": "implied"}`, written by the export) the relation
  comes from the argument's linked premises instead. What is aimed *at* a reconstructed argument
  (`<- [X]` below `<A>`, `_ [Y]`) is aimed at its relation (the support of its last inference);
  an attack on it is read as an objection to its inference (argmap has no attack on "some
  premise"; the report says so). As in Argdown, an attack on an argument by a statement that
  also attacks (or contradicts) one of its premises is that attack, and a support of an
  argument's own conclusion by the argument (`[C]` with `+ <A>`) is what its structure says:
  neither is a relation of its own. Nor are the relations Argdown's map derives between
  arguments from shared statements: they follow from the claims.
- `+`/`<+` and `+>` are supports, `-`/`<-` and `->` objections, `_`/`<_` and `_>` undercuts
  (an objection aimed at the relation that the undercut argument stands for).
- A contradiction `A >< B` becomes two objections, A against B and B against A (the report says
  so). The export writes `><` again where two plain claims object to each other.
- Indentation is read as Argdown's lexer reads it: a line deeper than the open list of
  relations opens a list below the last element; a shallower one closes every deeper list and
  joins the one it lands in, whatever its own column. List items (`* item`, `1. item`) are
  statements of their own, with their relations below them. A heading's text runs on over the
  lines of its block.
- `#tag` and `#(multi word tag)` are tags (taken out of the text). `{yaml: data}` is the
  claim's `data`, except the keys `note`, `author`, `accepted`, `weight` and `sources`, which fill
  the claim fields of the same name. The innermost heading above a statement's definition (or
  its first mention) is the claim's `group`. Front matter `title` and `description` are the
  map's.
- `@include(file)` is the file's text in its place, as in Argdown, when a loader is given (the
  CLI reads files in the imported file's folder); an upload reports each include as not carried
  (`includes.py`).
- The export writes every claim once, under its group's heading, with its plain supports and
  objections as a tree below it: a titled claim as a definition `[title]: text`, one without a
  title as plain text in the one place it appears (nested under what it aims at, or a premise
  in an argument), or, where it must be referenced from several places, named by its first
  words; never by its id. The front matter (`argmap: {untitled, ids}`) says which names are not
  titles and which ids the claims have, so the import gives the map back exactly. A relation that plain tree syntax cannot hold (linked
  premises, a note, tags or an author, an undercut aimed at it, a relation aimed at a
  relation, an objection with linked premises) becomes an argument `<relation-id>` with a
  premise-conclusion structure. Objections and relations aimed at relations have no conclusion
  of their own in argmap; the export writes an *implied conclusion* marked `{"argmap":
  "implied"}` and states the argument's relation on the argument (`-> [T]`, `_> <R>`), which is
  also what Argdown's own tools draw. The import skips statements so marked.

The parts, as in argdown-core: `lexer` (comments, relation signs, the text of one element),
`parser` (blocks into a `document.Document`), `builder` (the document into argmap's
`MapContent`), `writer` (the export) and `includes` (`@include`). The parser is line-based and
linear in the size of the input; every scan moves forward.

For example, `loads("[Free]: Museums should be free.\n  - [Fees]: Fees pay for upkeep.\n")`
gives the claims `Free` and `Fees` (titles `Free` and `Fees`) and one objection, Fees -> Free.
"""

from __future__ import annotations

from maps.formats.argdown.builder import DEFAULT_TITLE, Builder
from maps.formats.argdown.document import FORMAT, IMPLIED_KEY, IMPLIED_VALUE, Document
from maps.formats.argdown.includes import Loader, splice
from maps.formats.argdown.parser import Parser
from maps.formats.argdown.writer import _tag as _tag  # Argdown's own CLI tests compare tags
from maps.formats.argdown.writer import dumps, escape_text
from maps.formats.common import Deadline, ImportLimits, check_size, count_content
from maps.validation import validate_content
from models import ArgmapError, InvalidInputError, LimitExceededError, MapContent
from models.report import ConversionReport

__all__ = [
    "DEFAULT_TITLE",
    "FORMAT",
    "IMPLIED_KEY",
    "IMPLIED_VALUE",
    "Builder",
    "Document",
    "Loader",
    "Parser",
    "dumps",
    "escape_text",
    "loads",
]


def loads(
    text: str,
    *,
    limits: ImportLimits | None = None,
    title: str | None = None,
    includes: Loader | None = None,
) -> tuple[MapContent, ConversionReport]:
    """Read an Argdown document; errors name the line and column at fault.

    `includes` reads the files that `@include(file)` names (see `includes.py`); without it each
    include is reported as not carried.
    """
    limits = limits or ImportLimits()
    check_size(text, limits)
    report = ConversionReport(format=FORMAT, direction="import")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    spliced = splice(text, includes, report, max_bytes=limits.max_bytes)
    try:
        content = _read(spliced.text, limits, title, report)
    except ArgmapError as error:
        raise spliced.locate(error) from None
    spliced.place_report(report)
    count_content(report, content)
    return content, report


def _read(
    text: str, limits: ImportLimits, title: str | None, report: ConversionReport
) -> MapContent:
    deadline = Deadline(limits.timeout_seconds)
    parser = Parser(limits, deadline)
    document = parser.parse(text)
    for what, reason, line, column in parser.report_items:
        report.drop(what, reason, line=line, column=column)
    content = Builder(document, report, limits).build(title)
    if not content.claims and text.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        raise InvalidInputError(
            "no Argdown statements or arguments found (this looks like JSON: "
            "import it as native or aif)",
            loc=("line", 1),
        )
    if len(content.claims) > limits.max_claims:
        raise LimitExceededError(
            f"{len(content.claims)} claims exceed the limit of {limits.max_claims} claims per map",
            loc=("claims",),
        )
    try:
        validate_content(content)
    except ArgmapError as error:
        raise InvalidInputError(
            f"the map read from Argdown is not valid: {error}", loc=error.loc
        ) from None
    return content
