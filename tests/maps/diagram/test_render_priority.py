"""Graphviz children run at a lower priority than the server (issue 16: small requests stay
prompt while renders fill the cores), and one that runs out of time is killed."""

from __future__ import annotations

import os
import subprocess

import pytest

from maps.diagram import render as render_module


def _niceness_of_child() -> int:
    # The child waits a moment, so that the priority set after it started has been set.
    done = render_module._run(["sh", "-c", "sleep 0.3; cat /proc/self/stat"], b"", 30.0)
    fields = done.stdout.decode().rsplit(")", 1)[1].split()
    return int(fields[16])  # the 19th field of /proc/PID/stat, counted after the name


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs Linux /proc")
def test_a_child_runs_at_the_lower_priority() -> None:
    assert _niceness_of_child() == min(19, os.nice(0) + render_module.CHILD_NICENESS)


def test_a_child_out_of_time_is_killed() -> None:
    with pytest.raises(subprocess.TimeoutExpired):
        render_module._run(["sleep", "30"], b"", 0.2)
