"""Password hashing with argon2 (pwdlib's recommended settings)."""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash


@lru_cache(maxsize=1)
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(password: str, hashed: str | None) -> bool:
    """Whether `password` matches; an account with no password matches nothing."""
    if not hashed:
        _hasher().hash(password)  # the same work either way: no timing hint that it has none
        return False
    return _hasher().verify(password, hashed)
