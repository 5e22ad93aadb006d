"""Configuration from the environment (prefix ARGMAP_), every limit with a sane default."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ARGMAP_", env_file=".env", extra="ignore")

    # Storage
    data_dir: Path = Field(
        default=Path(".data"), description="Where the default SQLite file lives."
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; unset means sqlite:///<data_dir>/argmap.db. "
        "postgresql://user:pass@host/db uses psycopg 3.",
    )
    load_sample: bool = Field(
        default=True, description="Load the sample map into an empty database."
    )

    # Request and map limits
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    max_claims_per_map: int = Field(default=5000, ge=1)
    max_relations_per_map: int = Field(default=20000, ge=1)
    max_claim_text: int = Field(default=2000, ge=1, le=2000)
    page_size_default: int = Field(default=50, ge=1)
    page_size_max: int = Field(default=200, ge=1)
    map_cache_bytes: int = Field(
        default=256 * 1024 * 1024,
        ge=0,
        description="Roughly the memory the store's cache of loaded maps may take.",
    )
    map_json_cache_entries: int = Field(
        default=256, ge=0, description="Maps kept as the JSON bytes of their latest version."
    )
    map_json_cache_bytes: int = Field(default=64 * 1024 * 1024, ge=0)

    # Bounded work and connections (issue 16)
    work_concurrency: int = Field(
        default=2, ge=1, description="Renders, evaluations and imports running at once."
    )
    work_queue: int = Field(
        default=16, ge=0, description="... and waiting for their turn; more get 503."
    )
    work_wait_seconds: float = Field(
        default=30.0, gt=0, description="Longest wait for a turn before 503."
    )
    body_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="A request body must arrive within this long of its first byte (408).",
    )
    keep_alive_seconds: float = Field(
        default=5.0, gt=0, description="An idle connection is closed after this long."
    )
    max_connections: int = Field(
        default=1000, ge=1, description="Open connections per process; more get 503 at once."
    )

    # Quotas per person (issue 16; the admin has none)
    quota_maps: int = Field(default=200, ge=1, description="Maps one person owns (413 above).")
    quota_claims: int = Field(
        default=100_000, ge=1, description="Claims in all the maps one person owns (413)."
    )
    quota_revisions_per_hour: int = Field(
        default=2000, ge=1, description="Changes one person makes in an hour (429 above)."
    )
    quota_bytes: int = Field(
        default=1024 * 1024 * 1024,
        ge=1,
        description="Bytes the revisions of one person's maps take (413 above).",
    )

    # Revisions (issue 16)
    revision_snapshot_every: int = Field(
        default=50,
        ge=1,
        description="A revision is stored whole every this many revisions, as a delta from the "
        "one before otherwise; reading one costs at most a snapshot and this many deltas.",
    )
    revision_snapshot_bytes: int = Field(
        default=1024 * 1024,
        ge=0,
        description="... or once the deltas since the last snapshot take this many bytes.",
    )

    # Diagrams (issue 3)
    render_engine: str = Field(default="auto", description="auto | dot | pygraphviz")
    render_timeout_seconds: float = Field(default=30.0, gt=0)
    render_max_claims: int = Field(default=5000, ge=1)
    render_cache_entries: int = Field(default=256, ge=0)
    render_cache_bytes: int = Field(default=256 * 1024 * 1024, ge=0)
    render_parallel: int = Field(
        default=1,
        ge=1,
        description="Graphviz processes one paged PDF runs at once (no more than the cores); "
        "1 draws all its sheets in one dot, each read as soon as it is drawn (the least CPU).",
    )
    paper_min_text_pt: float = Field(
        default=6.0,
        gt=0,
        description="Smallest text (pt) on a printed page; pages=fit says so when it falls under.",
    )
    paper_readable_text_pt: float = Field(
        default=7.0,
        gt=0,
        description="Size (pt) tiles and thesis pages print the smallest text at; a little "
        "smaller, down to paper_min_text_pt, when that saves a nearly empty page.",
    )

    # Evaluation (issue 4)
    evaluation_budget_seconds: float = Field(default=2.0, gt=0)
    explanation_depth: int = Field(default=4, ge=1)
    explanation_max_nodes: int = Field(
        default=100,
        ge=1,
        description="Most nodes in one element's defence trees; larger ones are cut "
        "breadth-first and marked truncated (trees grow exponentially with the depth).",
    )
    evaluation_move_budget: int = Field(
        default=3000,
        ge=0,
        description="Node visits the search for what would change each verdict may take; "
        "claims it does not reach say so (changes: null) and have their own endpoint.",
    )
    evaluation_cache_entries: int = Field(default=128, ge=0)
    evaluation_cache_bytes: int = Field(default=128 * 1024 * 1024, ge=0)
    compiled_kernels: bool = Field(
        default=True,
        description="Load the compiled (numba) evaluation kernels in the background at start-up "
        "and use them for maps of every size once loaded.",
    )

    # Import (issue 5)
    import_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    import_timeout_seconds: float = Field(default=30.0, gt=0)

    # Comments (issue 13)
    max_comment_text: int = Field(default=5000, ge=1, description="Characters in one comment.")
    max_comments_per_map: int = Field(default=5000, ge=1, description="Comments on one map.")

    # Live events and presence (issue 13)
    events_heartbeat_seconds: float = Field(
        default=15.0, gt=0, description="A comment line on every open event stream this often."
    )
    events_stream_seconds: float = Field(
        default=900.0,
        gt=0,
        description="An event stream is closed after this long; the browser reconnects with "
        "Last-Event-ID and misses nothing.",
    )
    events_max_streams: int = Field(
        default=1000, ge=1, description="Open event streams in one server process."
    )
    events_max_streams_per_person: int = Field(
        default=20, ge=1, description="Open event streams of one person in one server process."
    )
    events_queue: int = Field(
        default=200, ge=1, description="Events waiting for one slow stream before it is reset."
    )
    events_replay_max: int = Field(
        default=100,
        ge=0,
        description="The most changes replayed to a stream that reconnects; further behind "
        "gets a reset event.",
    )
    presence_timeout_seconds: float = Field(
        default=45.0,
        gt=0,
        description="A person not heard from for this long is no longer shown as present.",
    )

    # People, sessions and browser safety (issue 12)
    admin_token: str | None = Field(
        default=None,
        min_length=16,
        description="The admin's bearer token; unset: one is made at first start and written to "
        "<data_dir>/admin-token.",
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default=["localhost", "127.0.0.1"],
        description="Host names the server answers to (others get 400); '*' allows any.",
    )
    session_days: float = Field(default=14.0, gt=0, description="Lifetime of a sign-in.")
    cookie_secure: str = Field(
        default="auto",
        pattern="^(auto|true|false)$",
        description="Secure cookies: auto = when the request came over https.",
    )
    rate_login: str = Field(default="10/minute", description="Sign-in attempts per account.")
    rate_login_address: str = Field(default="30/minute", description="Sign-ins per address.")
    rate_join: str = Field(default="30/minute", description="Share-link joins per address.")
    rate_accounts: str = Field(default="30/hour", description="Accounts made per address.")
    rate_writes: str = Field(
        default="300/minute", description="Changes per person (the admin is exempt)."
    )

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """`ARGMAP_ALLOWED_HOSTS=a.example,b.example` (or a list, from code)."""
        if isinstance(value, str):
            return [host.strip() for host in value.split(",") if host.strip()]
        return value

    @property
    def sqlalchemy_url(self) -> str:
        url = self.database_url or f"sqlite:///{(self.data_dir / 'argmap.db').resolve()}"
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        elif url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgres://")
        return url


@lru_cache
def get_settings() -> Settings:
    return Settings()
