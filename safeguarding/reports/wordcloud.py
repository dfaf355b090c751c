"""The word cloud of Looking ahead, drawn as SVG by our own code: words in rows, the size of each word by how many
responses used it, so the same picture goes into the page, the PDF and (as PNG) the Word file. No layout library:
rows packed largest first are enough for thirty words, and the figures are always given beside it as a table."""
from xml.sax.saxutils import escape

WIDTH = 640
SMALLEST, LARGEST = 13, 40  # font sizes in px
GAP, LINE = 14, 1.25
# GOV.UK colours that keep a 4.5:1 contrast on white.
COLOURS = ["#1d70b8", "#0b0c0c", "#00703c", "#4c2c92", "#d4351c", "#505a5f", "#912b88"]


def _size(n, low, high):
    return SMALLEST if high == low else SMALLEST + (LARGEST - SMALLEST) * (n - low) / (high - low)


def _width(word, size):
    return len(word) * size * 0.56  # Arial's average advance, near enough for packing


def svg(words):
    """SVG of [(word, count)], most used first; the caller gives the alternative text."""
    if not words:
        return ""
    counts = [n for _, n in words]
    low, high = min(counts), max(counts)
    sized = [(word, _size(n, low, high)) for word, n in words]
    rows, row, used = [], [], 0
    for word, size in sized:
        w = _width(word, size)
        if row and used + GAP + w > WIDTH:
            rows.append(row)
            row, used = [], 0
        used += (GAP if row else 0) + w
        row.append((word, size, w))
    rows.append(row)
    # The row of the biggest words in the middle, the others alternately above and below it.
    ordered = list(reversed(rows[1::2])) + rows[:1] + rows[2::2]
    parts, y = [], 0
    for index, row in enumerate(ordered):
        height = max(size for _, size, _ in row) * LINE
        y += height
        x = (WIDTH - (sum(w for _, _, w in row) + GAP * (len(row) - 1))) / 2
        for order, (word, size, w) in enumerate(row):
            colour = COLOURS[(index * 3 + order) % len(COLOURS)]
            weight = ' font-weight="bold"' if size > (SMALLEST + LARGEST) / 2 else ""
            parts.append(f'<text x="{x:.1f}" y="{y - height * 0.22:.1f}" font-size="{size:.1f}" fill="{colour}"'
                         f'{weight}>{escape(word)}</text>')
            x += w + GAP
    height = y + 8
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" '
            f'height="{height:.0f}" font-family="Arial, Liberation Sans, sans-serif">' + "".join(parts) + "</svg>")


def png(svg_text):
    import vl_convert

    return vl_convert.svg_to_png(svg_text, scale=2)
