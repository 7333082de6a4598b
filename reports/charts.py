"""Charts drawn on the server as SVG text, for the console's report page (no script, no image
library): horizontal bars, one a row of a published table.

Only published values are drawn (:mod:`reports.published`): a hidden count (``"<5"``, ``"*"``)
or one not counted (``".."``) gets no bar, only its mark, so a chart gives away no more than the
table. Every text is escaped, so a campaign's or partner's name cannot inject markup.
"""

from collections.abc import Sequence
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


def bar_chart(title: str, bars: Sequence[tuple[str, Cell]], ident: str = "chart") -> str:
    """An SVG document: ``title`` above one bar a ``(label, value)``, scaled to the largest
    number; a value that is not a number is written where its bar would be. ``ident``: the
    prefix of its element ids, unique on a page that shows several charts inline."""
    numbers = [v for _, v in bars if isinstance(v, int | float) and not isinstance(v, bool)]
    largest = max(numbers, default=0) or 1
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = TITLE_HEIGHT + ROW_HEIGHT * len(bars) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{escape(ident)}-title">',
        f'<title id="{escape(ident)}-title">{escape(title)}</title>',
        _text(0, 20, escape(title), bold=True),
    ]
    for number, (label, value) in enumerate(bars):
        top = TITLE_HEIGHT + ROW_HEIGHT * number
        middle = top + ROW_HEIGHT // 2 + 4
        shown = escape(str(value))
        parts.append(f'<g><title>{escape(label)}: {shown}</title>')
        parts.append(_text(LABEL_WIDTH - 8, middle, escape(label), end=True))
        length = 0
        if isinstance(value, int | float) and not isinstance(value, bool):
            length = round(BAR_WIDTH * value / largest)
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{top + 4}" width="{length}" '
                         f'height="{ROW_HEIGHT - 8}" fill="#2b6cb0"/>')
        parts.append(_text(LABEL_WIDTH + length + 6, middle, shown) + "</g>")
    parts.append("</svg>")
    return "\n".join(parts)
