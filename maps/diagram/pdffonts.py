"""The TrueType fonts argmap embeds in the PDFs it writes with reportlab (page notes, handout).

DejaVu Sans where the system has it (it covers most scripts), else the Bitstream Vera fonts
that reportlab itself ships, so a machine without root still gets embedded fonts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from models import ArgmapError

DEJAVU_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
)
DEJAVU = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
}
VERA = {"regular": "Vera.ttf", "bold": "VeraBd.ttf", "italic": "VeraIt.ttf"}


class FontMissingError(ArgmapError):
    """No TrueType font to embed (the API answers 503, naming the files looked for)."""


@dataclass(frozen=True)
class Fonts:
    """Names of the registered fonts, for reportlab's `setFont` and paragraph styles."""

    regular: str
    bold: str
    italic: str


def _files() -> tuple[str, dict[str, Path]]:
    for folder in DEJAVU_DIRS:
        found = {style: folder / name for style, name in DEJAVU.items()}
        if all(path.is_file() for path in found.values()):
            return "DejaVuSans", found
    import reportlab  # type: ignore[import-untyped]

    bundled = Path(reportlab.__file__).parent / "fonts"
    found = {style: bundled / name for style, name in VERA.items()}
    if all(path.is_file() for path in found.values()):
        return "Vera", found
    raise FontMissingError(
        f"no TrueType font to embed: install fonts-dejavu-core ({', '.join(DEJAVU.values())} "
        f"in {DEJAVU_DIRS[0]}) or a reportlab with its bundled {', '.join(VERA.values())}"
    )


@functools.cache
def fonts() -> Fonts:
    """Register the fonts with reportlab once (and set how it writes streams) and return
    their names."""
    from reportlab import rl_config
    from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]
    from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
    from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

    # Binary streams, not ASCII85 over them (reportlab's default for 7-bit channels): the
    # encoding runs in Python and is a tenth of the page notes' time; the files get smaller.
    rl_config.useA85 = 0
    family, files = _files()
    names = {style: f"argmap-{family}-{style}" for style in files}
    for style, path in files.items():
        pdfmetrics.registerFont(TTFont(names[style], str(path)))
    regular, bold, italic = names["regular"], names["bold"], names["italic"]
    addMapping(regular, 0, 0, regular)
    addMapping(regular, 1, 0, bold)
    addMapping(regular, 0, 1, italic)
    addMapping(regular, 1, 1, bold)
    return Fonts(regular=regular, bold=bold, italic=italic)
