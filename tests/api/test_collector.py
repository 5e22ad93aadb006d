"""What the server loads once and keeps for its lifetime is out of the garbage collector's
reach, so a full collection walks only what requests made (api/app.py)."""

from __future__ import annotations

import gc

from api.app import _load_kernels


def test_the_compiled_kernels_are_left_out_of_full_collections() -> None:
    _load_kernels()  # what the server's loader thread does once, at start-up
    walked = [type(item).__module__ for item in gc.get_objects()]
    assert not [module for module in walked if module.startswith("numba")]
    assert gc.get_freeze_count() > 10_000
