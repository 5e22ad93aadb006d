"""The first owner of an instance: `admin`, who signs in with a token.

`ARGMAP_ADMIN_TOKEN`, when set, is admin's bearer token. Otherwise a token is made at the first
start and written to `<data dir>/admin-token` (mode 0600); later starts use it again while it
is valid. `argmap serve` prints a login link with it, `http://HOST:PORT/login?token=…`.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from api.settings import Settings
from api.store.people import People
from api.store.repository import ADMIN_ID

FROM_SETTING = "ARGMAP_ADMIN_TOKEN"
FROM_FILE = "first start (admin-token file)"


def token_file(settings: Settings) -> Path:
    return settings.data_dir / "admin-token"


def admin_token(settings: Settings, people: People) -> str:
    """The admin's sign-in token, made (and written to the token file) when there is none."""
    if settings.admin_token:
        if not people.has_token(settings.admin_token):
            people.delete_tokens_named(ADMIN_ID, FROM_SETTING)
            people.create_token(ADMIN_ID, FROM_SETTING, secret=settings.admin_token)
        return settings.admin_token
    path = token_file(settings)
    if path.exists():
        kept = path.read_text(encoding="utf-8").strip()
        if kept and people.has_token(kept):
            return kept
    token = "am_" + secrets.token_urlsafe(32)
    people.delete_tokens_named(ADMIN_ID, FROM_FILE)
    people.create_token(ADMIN_ID, FROM_FILE, secret=token)
    _write_private(path, token)
    return token


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text + "\n")
    os.chmod(path, 0o600)


def login_link(host: str, port: int, token: str) -> str:
    shown = "localhost" if host in ("0.0.0.0", "::") else host
    return f"http://{shown}:{port}/login?token={token}"
