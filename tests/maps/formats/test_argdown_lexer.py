"""The Argdown lexer on its own: comments, relation signs and the parts of one element's text."""

from __future__ import annotations

import pytest

from maps.formats.argdown.lexer import DataScanner, relation_sign, strip_comments, text_parts
from models import InvalidInputError


def scanner() -> DataScanner:
    return DataScanner(max_depth=10, budget=10_000)


def test_comments_are_blanked_and_lines_keep_their_numbers() -> None:
    text = "[A]: a // note\n/* two\nlines */\n[B]: b <!-- x --> c\n"
    lines, comment_only = strip_comments(text, scanner())
    assert lines == ["[A]: a ", "", "", "[B]: b  c", ""]
    assert comment_only == [False, True, True, False, False]


def test_front_matter_and_data_keep_their_slashes() -> None:
    text = "===\nurl: https://x.org\n===\n[A]: a {url: 'https://y.org'}\n"
    lines, _ = strip_comments(text, scanner())
    assert lines[1] == "url: https://x.org"
    assert lines[3] == "[A]: a {url: 'https://y.org'}"


def test_an_unclosed_block_comment_names_its_place() -> None:
    with pytest.raises(InvalidInputError) as caught:
        strip_comments("[A]: a\n  text /* open", scanner())
    assert caught.value.loc == ("line", 2, "column", 8)


@pytest.mark.parametrize(
    ("body", "sign"),
    [
        ("+ [B]", "+"),
        ("<- [B]", "<-"),
        ("_> <R>", "_>"),
        (">< [B]", "><"),
        ("_ [B]", "_"),
        ("_x", None),
        ("-- inference", None),
        ("text", None),
    ],
)
def test_relation_signs(body: str, sign: str | None) -> None:
    assert relation_sign(body) == sign


def test_text_parts_take_out_tags_and_data() -> None:
    text, tags, data = text_parts(
        r"Firms #policy should #(labour economics) move \#not {weight: 2}",
        line=1,
        column=1,
        scanner=scanner(),
    )
    assert text == "Firms should move #not"
    assert tags == ["policy", "labour economics"]
    assert data == {"weight": 2}


def test_unclosed_data_names_the_column_of_its_brace() -> None:
    with pytest.raises(InvalidInputError, match="never closed") as caught:
        text_parts("text {a: 1", line=3, column=6, scanner=scanner())
    assert caught.value.loc == ("line", 3, "column", 11)
