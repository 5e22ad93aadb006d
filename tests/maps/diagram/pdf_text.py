"""The size at which each piece of text is printed on a PDF page, read from the PDF itself.

pypdf's text visitor reports the font size and matrices of text on the page, but not the matrix
under which a Form XObject is drawn (the paged diagram draws Graphviz's page as one), so this
walks the content streams itself: `q`/`Q`/`cm` for the graphics matrix, `BT`/`Tm`/`Tf` for the
text state, `Do` into forms. The printed size of text is its font size times the vertical
scale of text matrix x graphics matrix.
"""

from __future__ import annotations

import math
from typing import Any

from pypdf import PageObject
from pypdf.generic import ContentStream

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(a: Matrix, b: Matrix) -> Matrix:
    """a then b (PDF's row-vector convention: a x b)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def text_sizes(page: PageObject) -> list[tuple[float, str]]:
    """(printed size in pt, text) of every text-showing operation on the page."""
    found: list[tuple[float, str]] = []
    _walk(page.get_contents(), page["/Resources"], IDENTITY, found, page.pdf)
    return found


def _walk(content: Any, resources: Any, ctm: Matrix, found: list[Any], pdf: Any) -> None:
    if content is None:
        return
    stream = content if isinstance(content, ContentStream) else ContentStream(content, pdf)
    stack: list[Matrix] = []
    text_matrix, font_size = IDENTITY, 0.0
    for operands, operator in stream.operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = multiply(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
        elif operator == b"BT":
            text_matrix = IDENTITY
        elif operator == b"Tm":
            text_matrix = tuple(float(v) for v in operands)  # type: ignore[assignment]
        elif operator in (b"Td", b"TD"):
            move = (1.0, 0.0, 0.0, 1.0, float(operands[0]), float(operands[1]))
            text_matrix = multiply(move, text_matrix)
        elif operator == b"Tf":
            font_size = float(operands[1])
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            full = multiply(text_matrix, ctm)
            found.append((font_size * math.hypot(full[2], full[3]), _shown(operands)))
        elif operator == b"Do":
            xobject = resources["/XObject"][operands[0]].get_object()
            if xobject.get("/Subtype") == "/Form":
                matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                inner = xobject.get("/Resources", resources)
                _walk(xobject, inner, multiply(matrix, ctm), found, pdf)  # type: ignore[arg-type]


def _shown(operands: list[Any]) -> str:
    parts = operands[0] if isinstance(operands[0], list) else operands
    return "".join(str(part) for part in parts if not isinstance(part, int | float))
