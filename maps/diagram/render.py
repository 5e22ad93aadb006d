"""DOT source to SVG, PNG or PDF bytes with Graphviz, in a child process under a time limit.

Two engines:

- `dot`: the system Graphviz `dot` on PATH, run as a subprocess.
- `pygraphviz`: the Graphviz libraries bundled in the pygraphviz wheel (the README's setup
  installs it from PyPI), for machines without a system Graphviz. It has no `dot` binary, so a
  child Python process lays out and renders through pygraphviz.

Either way rendering happens in a child process that is killed when the time limit passes, so a
pathological map can never hang the caller. Output is deterministic: the same DOT gives the same
bytes on the same engine (the PDF creation date, the one varying field, is fixed).
"""

from __future__ import annotations

import contextlib
import functools
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum
from typing import Any

from models import ArgmapError, LimitExceededError
from models.diagram import DiagramFormat


class Engine(StrEnum):
    DOT = "dot"
    PYGRAPHVIZ = "pygraphviz"


ENGINE_CHOICES = ("auto", Engine.DOT.value, Engine.PYGRAPHVIZ.value)


class EngineUnavailableError(ArgmapError):
    """No Graphviz engine can render here (the API answers 503)."""


class RenderError(ArgmapError):
    """Graphviz failed on a diagram (the API answers 503 with Graphviz's message)."""


# The child for the pygraphviz engine: DOT on stdin, the rendered bytes on stdout.
_PYGRAPHVIZ_CHILD = """
import sys
import pygraphviz
graph = pygraphviz.AGraph(string=sys.stdin.buffer.read().decode("utf-8"))
sys.stdout.buffer.write(graph.draw(format=sys.argv[1], prog="dot"))
"""

_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}")
_FIXED_DATE = b"20000101000000"


@functools.cache
def _system_dot() -> tuple[str, str] | None:
    """Path and version of the system `dot`, or None."""
    path = shutil.which("dot")
    if path is None:
        return None
    try:
        done = subprocess.run(
            [path, "-V"], capture_output=True, timeout=10, check=False, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    match = re.search(rb"version\s+(\S+)", done.stderr + done.stdout)
    return path, match.group(1).decode("ascii", "replace") if match else "unknown"


@functools.cache
def _pygraphviz() -> tuple[str, str] | None:
    """Versions of pygraphviz and of the Graphviz it bundles, or None."""
    try:
        import pygraphviz  # type: ignore[import-untyped]
        from pygraphviz import graphviz as bundled
    except ImportError:
        return None
    version = ".".join(
        str(getattr(bundled, f"GRAPHVIZ_{part}_VERSION", "?"))
        for part in ("MAJOR", "MINOR", "PATCH")
    )
    return str(pygraphviz.__version__), version


def choose_engine(preference: str = "auto") -> Engine:
    """The engine to use: `auto` prefers the system `dot` and falls back to pygraphviz."""
    if preference not in ENGINE_CHOICES:
        raise EngineUnavailableError(
            f"unknown render engine {preference!r}; use one of {', '.join(ENGINE_CHOICES)}",
            loc=("render_engine",),
        )
    if preference in ("auto", Engine.DOT) and _system_dot() is not None:
        return Engine.DOT
    if preference in ("auto", Engine.PYGRAPHVIZ) and _pygraphviz() is not None:
        return Engine.PYGRAPHVIZ
    if preference == Engine.DOT:
        raise EngineUnavailableError(
            "the system Graphviz `dot` is not on PATH; install graphviz or set "
            "ARGMAP_RENDER_ENGINE=auto to use the pygraphviz engine"
        )
    raise EngineUnavailableError(
        "no Graphviz engine: install graphviz (apt-get install graphviz) or the pygraphviz wheel "
        "(pip install pygraphviz)"
    )


def engine_info(preference: str = "auto") -> dict[str, Any]:
    """Which engine renders diagrams and its version, for the health endpoint."""
    system = _system_dot()
    bundled = _pygraphviz()
    try:
        engine: Engine | None = choose_engine(preference)
    except EngineUnavailableError:
        engine = None
    info: dict[str, Any] = {
        "engine": engine.value if engine is not None else None,
        "available": engine is not None,
        "graphviz_version": None,
        "formats": [fmt.value for fmt in DiagramFormat],
    }
    if engine is Engine.DOT and system is not None:
        info["graphviz_version"] = system[1]
        info["path"] = system[0]
    elif engine is Engine.PYGRAPHVIZ and bundled is not None:
        info["graphviz_version"] = bundled[1]
        info["pygraphviz_version"] = bundled[0]
    if engine is None:
        info["formats"] = [DiagramFormat.DOT.value]
    return info


def engine_version(engine: Engine) -> str:
    """The Graphviz version behind an engine (part of cache keys: a new version, new bytes)."""
    found = _system_dot() if engine is Engine.DOT else _pygraphviz()
    if found is None:
        raise EngineUnavailableError(f"the {engine.value} engine is not available")
    return found[1]


def render(
    dot_source: str,
    fmt: DiagramFormat | str,
    *,
    engine: Engine | str = "auto",
    timeout: float = 30.0,
) -> bytes:
    """Render DOT source to bytes in `fmt`; `dot` returns the source itself."""
    fmt = DiagramFormat(fmt)
    if fmt is DiagramFormat.DOT:
        return dot_source.encode("utf-8")
    chosen = engine if isinstance(engine, Engine) else choose_engine(engine)
    if chosen is Engine.DOT:
        found = _system_dot()
        if found is None:
            raise EngineUnavailableError("the system Graphviz `dot` is not on PATH")
        command = [found[0], f"-T{fmt.value}"]
    else:
        command = [sys.executable, "-c", _PYGRAPHVIZ_CHILD, fmt.value]
    try:
        done = _run(command, dot_source.encode("utf-8"), timeout)
    except subprocess.TimeoutExpired:
        raise _too_slow(timeout) from None
    except OSError as error:
        raise EngineUnavailableError(f"cannot start the {chosen.value} engine: {error}") from None
    if done.returncode != 0 or not done.stdout:
        raise RenderError(
            f"Graphviz ({chosen.value}) failed with exit status {done.returncode}: "
            f"{_first_error(done.stderr)}"
        )
    output = done.stdout
    if fmt is DiagramFormat.PDF:
        output = _fixed_dates(output)
    return output


# Where one PDF of `dot` ends and the next begins when it draws several graphs in one run.
_PDF_BOUNDARY = re.compile(rb"(?<=%%EOF\n)(?=%PDF-)")


def render_pdfs(
    dot_sources: Sequence[str], *, engine: Engine | str = "auto", timeout: float = 30.0
) -> list[bytes]:
    """Several DOT sources as one PDF each, laid out in one run of `dot`.

    `dot` reads graph after graph from its input and writes one PDF after another; one process
    instead of one per graph saves its start (loading the plugins and fonts: about 20 ms each,
    a third of a small drawing). The pygraphviz engine renders them one at a time."""
    if not dot_sources:
        return []
    chosen = engine if isinstance(engine, Engine) else choose_engine(engine)
    if chosen is not Engine.DOT or len(dot_sources) == 1:
        return [render(source, DiagramFormat.PDF, engine=chosen, timeout=timeout)
                for source in dot_sources]  # fmt: skip
    pdfs = _PDF_BOUNDARY.split(
        render("".join(dot_sources), DiagramFormat.PDF, engine=chosen, timeout=timeout)
    )
    if len(pdfs) != len(dot_sources):
        raise RenderError(
            f"Graphviz ({chosen.value}) wrote {len(pdfs)} PDFs for {len(dot_sources)} graphs"
        )
    return pdfs


def stream_pdfs(dot_sources: Iterable[str], *, timeout: float = 30.0) -> Iterator[bytes]:
    """`render_pdfs` on the system `dot`, each PDF handed over as soon as `dot` has drawn it.

    The sources are written (and, from a lazy iterable, made) by a thread while `dot` draws, and
    `dot` writes each graph's PDF when it is done, so the caller reads one sheet while Graphviz
    lays out the next: the Python and the Graphviz halves of a paged PDF overlap on two cores.
    An error making a source is raised here, after `dot` has drawn the ones before it."""
    found = _system_dot()
    if found is None:
        raise EngineUnavailableError("the system Graphviz `dot` is not on PATH")
    deadline = time.monotonic() + timeout
    try:
        process = subprocess.Popen(
            [found[0], "-Tpdf"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_child_environment(),
        )
    except OSError as error:
        raise EngineUnavailableError(f"cannot start the dot engine: {error}") from None
    _lower_priority(process.pid)
    stdin, stdout, stderr = process.stdin, process.stdout, process.stderr
    assert stdin is not None
    assert stdout is not None
    assert stderr is not None
    chunks: queue.Queue[bytes] = queue.Queue()
    failed: list[BaseException] = []
    errors: list[bytes] = []

    def feed() -> None:
        try:
            for source in dot_sources:
                stdin.write(source.encode("utf-8"))
                stdin.flush()
        except BrokenPipeError:
            pass  # dot has stopped: its exit status says why
        except BaseException as error:  # handed to the caller
            failed.append(error)
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    def read() -> None:
        while chunk := os.read(stdout.fileno(), 1 << 16):
            chunks.put(chunk)
        chunks.put(b"")

    threads = [
        threading.Thread(target=feed, daemon=True),
        threading.Thread(target=read, daemon=True),
        threading.Thread(target=lambda: errors.append(stderr.read()), daemon=True),
    ]
    for thread in threads:
        thread.start()
    buffer, finished = b"", False
    try:
        while True:
            try:
                chunk = chunks.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise _too_slow(timeout) from None
            if not chunk:
                break
            buffer += chunk
            while (end := _PDF_END.search(buffer)) is not None:
                yield _fixed_dates(buffer[: end.end()])
                buffer = buffer[end.end() :]
        finished = True
    finally:
        if not finished:  # too slow, or the caller stopped reading
            process.kill()
        process.wait()
        for thread in threads:
            thread.join(timeout=5)
        stdout.close()
        stderr.close()
    if failed:
        raise failed[0]
    if process.returncode != 0 or buffer.strip():
        raise RenderError(
            f"Graphviz (dot) failed with exit status {process.returncode}: "
            f"{_first_error(b''.join(errors))}"
        )


# The end of one PDF of `dot` (its last cross-reference pointer), where the next one begins.
_PDF_END = re.compile(rb"startxref\r?\n\d+\r?\n%%EOF\r?\n")


def _fixed_dates(pdf: bytes) -> bytes:
    return _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (D:" + _FIXED_DATE, pdf)


def _too_slow(timeout: float) -> LimitExceededError:
    return LimitExceededError(
        f"rendering took longer than the limit of {timeout:g} s; draw part of the map with "
        "focus=<claim id> and depth=<relations>, or ask for format dot and lay it out yourself",
        loc=("query", "focus"),
    )


# How much lower than the server a Graphviz child runs (`nice`): a render that waits for the CPU
# a little longer costs little, a small request that waits behind two renders on two cores
# costs its p99 (issue 16's `/health` while large renders run). Lowering needs no privilege.
CHILD_NICENESS = 10


def _lower_priority(pid: int) -> None:
    # Set from here once the child runs: a `preexec_fn` would do it in the child, but forces a
    # full fork instead of vfork (11.6 ms a start instead of 0.8 ms).
    with contextlib.suppress(OSError):
        lower = min(19, os.getpriority(os.PRIO_PROCESS, 0) + CHILD_NICENESS)
        os.setpriority(os.PRIO_PROCESS, pid, lower)


def _run(command: list[str], given: bytes, timeout: float) -> subprocess.CompletedProcess[bytes]:
    """`subprocess.run(command, input=given, capture_output=True, timeout=timeout)`, with the
    child at a lower priority; a child that runs out of time is killed."""
    with subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_child_environment(),
    ) as process:
        _lower_priority(process.pid)
        try:
            stdout, stderr = process.communicate(given, timeout=timeout)
        except BaseException:  # out of time, or interrupted: the child does not outlive it
            process.kill()
            process.wait()
            raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _child_environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["SOURCE_DATE_EPOCH"] = "946684800"  # honoured by newer cairo; we also patch
    return environment


def _first_error(stderr: bytes) -> str:
    lines = [
        line.strip()
        for line in stderr.decode("utf-8", "replace").splitlines()
        if line.strip() and "fontconfig" not in line.lower()
    ]
    return "; ".join(lines[:3])[:500] or "no message"
