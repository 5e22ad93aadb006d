"""The `argmap` command line."""

from __future__ import annotations

import typer

from api.cli import evaluate, formats, people, render
from api.cli.errors import fail
from api.settings import Settings

app = typer.Typer(
    name="argmap",
    help="argmap: argument maps as a service (serve, samples, db, render, evaluate, convert).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
samples_app = typer.Typer(help="The bundled sample maps.", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
app.add_typer(samples_app, name="samples")
app.add_typer(db_app, name="db")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    reload: bool = typer.Option(False, help="Reload on code changes (development)."),
    workers: int = typer.Option(
        1, min=1, max=64, help="Server processes (more than one needs PostgreSQL)."
    ),
) -> None:
    """Run the API and web app (loads the sample map into an empty database).

    Prints the admin's login link (the token is ARGMAP_ADMIN_TOKEN, or the one in
    <data dir>/admin-token, made at the first start). With --workers N, N processes serve one
    PostgreSQL database and pass each other's changes on through LISTEN/NOTIFY.
    """
    import os

    import uvicorn

    from api.app import load_sample_if_empty
    from api.auth.bootstrap import admin_token, login_link
    from api.store import open_store
    from api.store.people import People

    settings = Settings()
    store = open_store(settings)  # migrated here, once, before any worker starts
    if workers > 1 and store.engine.dialect.name != "postgresql":
        fail(
            "--workers above 1 needs PostgreSQL (set ARGMAP_DATABASE_URL=postgresql://...): "
            "with SQLite, the processes could not tell each other's viewers of a change"
        )
    token = admin_token(settings, People(store.engine))
    if workers > 1 and settings.load_sample:
        load_sample_if_empty(store)  # once, here, not by each worker at the same time
        os.environ["ARGMAP_LOAD_SAMPLE"] = "false"
    store.engine.dispose()
    typer.echo(f"argmap: sign in as admin at {login_link(host, port, token)}", err=True)
    uvicorn.run(
        "api.main:app",
        host=host,
        port=port,
        reload=reload,
        workers=workers,
        log_level="info",
        timeout_keep_alive=int(settings.keep_alive_seconds),
        limit_concurrency=settings.max_connections,
    )


@samples_app.command("load")
def samples_load(name: str = typer.Argument("for_workers_power")) -> None:
    """Load a bundled sample map (again) into the database."""
    from api.store import open_store
    from maps.samples import available_samples, load_sample

    if name not in available_samples():
        fail(f"no sample named {name!r}; available: {', '.join(available_samples())}")
    store = open_store(Settings())
    created = store.create_map(load_sample(name), author="argmap", description="load sample map")
    typer.echo(
        f"loaded {name} as map {created.id} ({len(created.claims)} claims, "
        f"{len(created.relations)} relations)"
    )


@samples_app.command("list")
def samples_list() -> None:
    """List the bundled sample maps."""
    from maps.samples import available_samples

    for name in available_samples():
        typer.echo(name)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations (the server also does this at start)."""
    from api.store import make_engine, upgrade

    settings = Settings()
    engine = make_engine(settings.sqlalchemy_url)
    upgrade(engine)
    typer.echo(f"database at {engine.url.render_as_string(hide_password=True)} is up to date")


for module in (render, evaluate, formats, people):
    module.register(app)
