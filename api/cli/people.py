"""`argmap users …` and `argmap tokens …`: accounts and API tokens, straight on the database."""

from __future__ import annotations

import sys

import typer

from api.cli.errors import fail
from api.settings import Settings
from api.store.people import People
from models import ArgmapError

users_app = typer.Typer(help="Accounts (the instance admin's tools).", no_args_is_help=True)
tokens_app = typer.Typer(help="Personal API tokens.", no_args_is_help=True)


def _people() -> People:
    from api.store import open_store

    settings = Settings()
    return People(open_store(settings).engine, session_days=settings.session_days)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        fail("a password has at least 8 characters")
    return password


@users_app.command("create")
def users_create(
    username: str = typer.Argument(..., help="Letters, digits, '.', '_' or '-' (2-40)."),
    display_name: str | None = typer.Option(None, "--display-name", help="Shown to others."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Make an account with a password."""
    from pydantic import TypeAdapter, ValidationError

    from api.auth.passwords import hash_password
    from models.people import Username

    try:
        TypeAdapter(Username).validate_python(username)
    except ValidationError:
        fail(f"{username!r} is not a username: 2-40 letters, digits, '.', '_' or '-'")
    password = _password(password_stdin)
    try:
        user = _people().create_user(
            username, display_name or username, password_hash=hash_password(password)
        )
    except ArgmapError as error:
        fail(error.message)
    typer.echo(f"made user {user.username} ({user.id})")


@users_app.command("passwd")
def users_passwd(
    username: str = typer.Argument(...),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Set an account's password (its other sessions end)."""
    from api.auth.passwords import hash_password

    people = _people()
    found = people.find_username(username)
    if found is None:
        fail(f"no user named {username!r}")
    user = people.update_user(found[0].id, password_hash=hash_password(_password(password_stdin)))
    people.end_sessions(user.id)
    typer.echo(f"password of {user.username} set")


@users_app.command("list")
def users_list() -> None:
    """Every account: username, display name, kind."""
    for user in _people().list_users():
        kind = "admin" if user.is_admin else "guest" if user.is_guest else "user"
        typer.echo(f"{user.username}\t{user.display_name}\t{kind}")


@tokens_app.command("create")
def tokens_create(
    username: str = typer.Argument(..., help="Whose token it is."),
    name: str = typer.Option("cli", "--name", help="What the token is for."),
) -> None:
    """Make a personal API token and print it (this once): `Authorization: Bearer <token>`."""
    people = _people()
    found = people.find_username(username)
    if found is None:
        fail(f"no user named {username!r}")
    typer.echo(people.create_token(found[0].id, name).token)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `argmap` CLI."""
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
