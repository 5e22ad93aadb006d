"""The first owner of an instance, the migration of maps made before people, and the CLI."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.app import create_app
from api.settings import Settings
from api.store import make_engine
from api.store.database import MIGRATIONS


def test_a_token_is_made_at_first_start_and_kept(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, load_sample=True, admin_token=None)
    first = create_app(settings)
    token_file = tmp_path / "admin-token"
    token = token_file.read_text().strip()
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert first.state.admin_token == token
    second = create_app(settings)
    assert second.state.admin_token == token
    with TestClient(second) as browser:
        assert browser.get(f"/login?token={token}", follow_redirects=False).status_code == 303
        sample = browser.get("/api/v1/maps").json()["items"][0]
        assert browser.get(f"/api/v1/maps/{sample['id']}/sharing").json()["visibility"] == "public"


def test_maps_made_before_people_become_the_admins_and_private(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'argmap.db'}"
    engine = make_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO maps (id, title, description, version, created_at, updated_at) "
                "VALUES ('old', 'Old map', '', 1, :now, :now)"
            ),
            {"now": now},
        )
    engine.dispose()
    settings = Settings(data_dir=tmp_path, load_sample=False)
    store = create_app(settings).state.store
    with store.engine.connect() as connection:
        owner, visibility = connection.execute(
            text("SELECT owner_id, visibility FROM maps WHERE id = 'old'")
        ).one()
    assert (owner, visibility) == ("admin", "private")


def test_cli_users_and_tokens(tmp_path: Path) -> None:
    environment = {**os.environ, "ARGMAP_DATA_DIR": str(tmp_path), "ARGMAP_LOAD_SAMPLE": "false"}
    argmap = [str(Path(sys.executable).parent / "argmap")]

    def run(*arguments: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*argmap, *arguments],
            input=stdin,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )

    made = run(
        "users",
        "create",
        "uma",
        "--display-name",
        "Uma",
        "--password-stdin",
        stdin="a long password\n",
    )
    assert made.returncode == 0, made.stderr
    assert (
        run("users", "create", "uma", "--password-stdin", stdin="a long password\n").returncode != 0
    )  # taken
    assert (
        run("users", "passwd", "uma", "--password-stdin", stdin="another password\n").returncode
        == 0
    )
    token = run("tokens", "create", "uma").stdout.strip()
    app = create_app(Settings(data_dir=tmp_path, load_sample=False))
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as script:
        assert script.get("/api/v1/auth/session").json()["user"]["display_name"] == "Uma"
    with TestClient(app) as browser:
        signed = browser.post(
            "/api/v1/auth/login", json={"username": "uma", "password": "another password"}
        )
        assert signed.status_code == 200
