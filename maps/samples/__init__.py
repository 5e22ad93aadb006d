"""The sample maps bundled with argmap, stored as readable native-format files in this folder."""

from __future__ import annotations

from pathlib import Path

from maps.formats import native
from models import MapContent, NotFoundError

SAMPLES_DIR = Path(__file__).resolve().parent
DEFAULT_SAMPLE = "for_workers_power"
_SUFFIXES = (".yaml", ".json")


def available_samples() -> list[str]:
    """Names of the bundled samples, sorted (the file names without their suffix)."""
    return sorted({path.stem for path in SAMPLES_DIR.iterdir() if path.suffix in _SUFFIXES})


def sample_path(name: str = DEFAULT_SAMPLE) -> Path:
    """The file of a bundled sample; only names from `available_samples()` are accepted."""
    # Looked up among the files that exist, never joined onto the folder, so a name such as
    # "../x" cannot reach outside it.
    for suffix in _SUFFIXES:
        for path in SAMPLES_DIR.glob(f"*{suffix}"):
            if path.stem == name:
                return path
    raise NotFoundError(
        f"no sample named {name!r}; available: {', '.join(available_samples())}",
        loc=("sample", name),
    )


def load_sample(name: str = DEFAULT_SAMPLE) -> MapContent:
    """Read and validate a bundled sample map."""
    return native.loads(sample_path(name).read_text(encoding="utf-8"))
