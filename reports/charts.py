"""Charts drawn on the server as SVG text, for the console's report page (no script, no image
library): horizontal bars, one a row of a published table.

Only published values are drawn (:mod:`reports.published`): a hidden count (``"<5"``, ``"*"``)
or one not counted (``".."``) gets no bar, only its mark, so a chart gives away no more than the
table. Every text is escaped, so a campaign's or partner's name cannot inject markup.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from reports.published import Cell

ROW_HEIGHT = 28
LABEL_WIDTH = 220
BAR_WIDTH = 320
VALUE_WIDTH = 60
TITLE_HEIGHT = 32
FONT = 'font-family="sans-serif" font-size="13"'
"""Presentation attributes, not ``style``: a page whose Content-Security-Policy allows no
inline style (the console's) still draws the chart as meant."""


def _text(x: int, y: int, escaped: str, *, end: bool = False, bold: bool = False) -> str:
    anchor = ' text-anchor="end"' if end else ""
    weight = ' font-weight="bold"' if bold else ""
    return f'<text x="{x}" y="{y}"{anchor} {FONT}{weight}>{escaped}</text>'


@dataclass(frozen=True)
class Layout:
    label_width: int
    """0: each label on a line of its own, above its bar (narrow screens)."""
    bar_width: int
    row_height: int


SIDE_BY_SIDE = Layout(LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT)
STACKED = Layout(0, 280, 46)
"""For a phone: 340 wide, so the text keeps its size on a 360 px screen."""


def bar_chart(title: str, bars: Sequence[tuple[str, Cell]], ident: str = "chart",
              layout: Layout = SIDE_BY_SIDE) -> str:
    """An SVG document: ``title`` above one bar a ``(label, value)``, scaled to the largest
    number; a value that is not a number is written where its bar would be. ``ident``: the
    prefix of its element ids, unique on a page that shows several charts inline."""
    numbers = [v for _, v in bars if isinstance(v, int | float) and not isinstance(v, bool)]
    largest = max(numbers, default=0) or 1
    left, row = layout.label_width, layout.row_height
    width = left + layout.bar_width + VALUE_WIDTH
    height = TITLE_HEIGHT + row * len(bars) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{escape(ident)}-title">',
        f'<title id="{escape(ident)}-title">{escape(title)}</title>',
        _text(0, 20, escape(title), bold=True),
    ]
    for number, (label, value) in enumerate(bars):
        top = TITLE_HEIGHT + row * number
        shown = escape(str(value))
        parts.append(f'<g><title>{escape(label)}: {shown}</title>')
        if left:  # the label left of its bar, the bar across the row
            bar_top, bar_height = top + 4, row - 8
            parts.append(_text(left - 8, top + row // 2 + 4, escape(label), end=True))
        else:  # the label on a line, the bar under it
            bar_top, bar_height = top + 21, row - 28
            parts.append(_text(0, top + 15, escape(label)))
        length = 0
        if isinstance(value, int | float) and not isinstance(value, bool):
            length = round(layout.bar_width * value / largest)
            parts.append(f'<rect x="{left}" y="{bar_top}" width="{length}" '
                         f'height="{bar_height}" fill="#2b6cb0"/>')
        parts.append(_text(left + length + 6, bar_top + bar_height // 2 + 5, shown) + "</g>")
    parts.append("</svg>")
    return "\n".join(parts)
