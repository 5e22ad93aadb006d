"""Which maps a search finds, and how well: full text over map titles and claim titles and
texts (SQLite FTS5, PostgreSQL tsvector; the indexes are made by migration 0006).

The words of the search are its runs of letters and digits; a map matches when its title, or one
of its claims, holds every word (as the start of a word: "work" finds "workers"). The score is
the best match's (lower is better), so the best maps come first.

    matches(engine, "four-DAY") -> select of (map_id, score) for maps with "four…" and "day…"
"""

from __future__ import annotations

import re

from sqlalchemy import Select, column, func, select, text
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import TextClause

MAX_WORDS = 16
_WORD = re.compile(r"[^\W_]+")


def words(q: str) -> list[str]:
    """The words a search looks for: runs of letters and digits, at most 16 of 64 characters."""
    return [word[:64] for word in _WORD.findall(q.lower())[:MAX_WORDS]]


def _sqlite(found: list[str]) -> TextClause:
    query = " ".join(f'"{word}"*' for word in found)
    return text(
        "SELECT claims.map_id AS map_id, claims_search.rank AS score FROM claims_search "
        "JOIN claims ON claims.rowid = claims_search.rowid WHERE claims_search MATCH :query "
        "UNION ALL SELECT maps.id AS map_id, maps_search.rank AS score FROM maps_search "
        "JOIN maps ON maps.rowid = maps_search.rowid WHERE maps_search MATCH :query"
    ).bindparams(query=query)


def _postgres(found: list[str]) -> TextClause:
    query = " & ".join(f"{word}:*" for word in found)
    return text(
        "SELECT map_id, -ts_rank(search, to_tsquery('simple', :query)) AS score FROM claims "
        "WHERE search @@ to_tsquery('simple', :query) "
        "UNION ALL SELECT id AS map_id, -ts_rank(search, to_tsquery('simple', :query)) - 1 "
        "AS score FROM maps WHERE search @@ to_tsquery('simple', :query)"
    ).bindparams(query=query)


def matches(dialect: Dialect, q: str) -> Select[tuple[str, float]] | None:
    """(map_id, best score) of the maps the search finds; None when it holds no word."""
    found = words(q)
    if not found:
        return None
    source = _sqlite(found) if dialect.name == "sqlite" else _postgres(found)
    hits = source.columns(column("map_id"), column("score")).subquery("hits")
    return select(hits.c.map_id, func.min(hits.c.score).label("score")).group_by(hits.c.map_id)
