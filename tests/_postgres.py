"""A throwaway PostgreSQL server for the test session: initdb into a temporary folder, a free
port, stopped at the end. Uses the system's PostgreSQL binaries, or the ones bundled in the
`pgserver` wheel when the system has none."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _bindir() -> Path:
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True):
        return Path(candidate).parent
    try:
        import pgserver  # type: ignore[import-untyped]
    except ImportError:
        pgserver = None
    if pgserver is not None:
        bundled = Path(pgserver.__file__).parent / "pginstall" / "bin"
        if (bundled / "pg_ctl").exists():
            return bundled
    raise PostgresUnavailable(
        "no PostgreSQL binaries: install Debian's postgresql package or the pgserver wheel "
        "(the README's test command does this)"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    bindir: Path
    datadir: Path
    port: int
    user: str | None  # the OS user the server runs as when we are root
    log: Path
    halted: bool = False  # stopped by halt(), its data kept for resume()

    @property
    def url(self) -> str:
        return f"postgresql://argmap@127.0.0.1:{self.port}/argmap"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    def start(self) -> None:
        result = self._run(
            "initdb",
            "-D",
            str(self.datadir),
            "-U",
            "argmap",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        if result.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {result.stderr.strip()[-500:]}")
        self._launch()
        deadline = time.monotonic() + 30
        while True:
            result = self._run(
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "argmap",
                "-d",
                "postgres",
                "-c",
                "CREATE DATABASE argmap",
            )
            if result.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        if result.returncode != 0:
            raise PostgresUnavailable(f"could not create the database: {result.stderr}")

    def _launch(self) -> None:
        """Start the server on the data folder and port; return once it accepts connections."""
        options = f"-p {self.port} -k {self.datadir} -c listen_addresses=127.0.0.1 -c fsync=off"
        result = self._run(
            "pg_ctl",
            "-D",
            str(self.datadir),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise PostgresUnavailable(f"PostgreSQL did not start: {result.stderr}{log[-800:]}")

    def halt(self, mode: str = "immediate") -> None:
        """Stop the server but keep its data, for `resume()`: `immediate` is a crash (clients
        lose their connections mid-statement), `fast` a shutdown (sessions are told first)."""
        result = self._run("pg_ctl", "-D", str(self.datadir), "-m", mode, "-w", "stop")
        if result.returncode != 0:
            raise PostgresUnavailable(f"PostgreSQL did not stop: {result.stderr}")
        self.halted = True

    def resume(self) -> None:
        """Start a halted server again, on the same port with the same data."""
        self._launch()
        self.halted = False

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "stop")
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start_postgres() -> PostgresServer:
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="argmap-pg-"))
    user = None
    if os.geteuid() == 0:  # initdb refuses to run as root
        for name in ("postgres", "nobody"):
            try:
                entry = pwd.getpwnam(name)
            except KeyError:
                continue
            user = name
            os.chown(root, entry.pw_uid, entry.pw_gid)
            break
        else:
            raise PostgresUnavailable("running as root and no 'postgres' or 'nobody' user")
    os.chmod(root, 0o700)
    server = PostgresServer(
        bindir=bindir, datadir=root / "data", port=_free_port(), user=user, log=root / "server.log"
    )
    server.start()
    return server
