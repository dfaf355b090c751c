"""A word cloud of free-text answers, drawn on the server as a PNG with Pillow.

Words are counted without common English words, then placed largest first along a spiral from the centre,
horizontally (easier to read than rotated words), each where it overlaps nothing already placed. The layout is
deterministic: the same answers always give the same picture. Pages show the counts as a table beside it,
because a picture of words is not accessible on its own.
"""
import io
import math
import re
from collections import Counter

from PIL import Image, ImageDraw, ImageFont

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
etc even ever every few for from further get gets getting got had hadn't has hasn't have haven't having he he'd
he'll he's her here here's hers herself him himself his how how's however i i'd i'll i'm i've if in into is
isn't it it's its itself just let's like lot lots make makes many may me might more most much must mustn't my
myself need needs no nor not now of off often on once one only or other others ought our ours ourselves out
over own per quite rather really same says see seem seems shan't she she'd she'll she's should shouldn't so
some such than that that's the their theirs them themselves then there there's these they they'd they'll
they're they've thing things this those though through to too under until up upon us very via was wasn't way
we we'd we'll we're we've well were weren't what what's when when's where where's whether which while who
who's whom why why's will with within without won't would wouldn't yes yet you you'd you'll you're you've
your yours yourself yourselves able across around back bit come could day days done feel felt go going good
know made new put said say take think time times try want wanted work
""".split())
WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")

# The design system's text and link colours: dark enough on white for WCAG AA at every size drawn.
COLOURS = ["#0b0c0c", "#1d70b8", "#00703c", "#4c2c92", "#d4351c", "#003078", "#505a5f"]
BACKGROUND = "#ffffff"


def word_counts(texts, limit=60):
    """The most frequent words of the texts, as (word, count), most frequent first (ties alphabetically)."""
    counts = Counter()
    for text in texts:
        for word in WORD.findall((text or "").lower().replace("’", "'")):
            word = word.strip("'-")
            if len(word) > 2 and word not in STOP_WORDS:
                counts[word] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _font(size):
    # Pillow's bundled FreeType font: the same glyphs on every machine, no system fonts needed.
    return ImageFont.load_default(size=size)


def _overlaps(box, placed):
    left, top, right, bottom = box
    return any(left < r and right > l and top < b and bottom > t for l, t, r, b in placed)


def layout(counts, width=900, height=450, largest=72, smallest=14):
    """Where each word goes: [(word, count, size, (x, y), colour)]; words that do not fit are left out."""
    if not counts:
        return []
    top, low = counts[0][1], counts[-1][1]
    draw = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    placed, boxes = [], []
    for index, (word, count) in enumerate(counts):
        share = 1.0 if top == low else (math.sqrt(count) - math.sqrt(low)) / (math.sqrt(top) - math.sqrt(low))
        size = round(smallest + share * (largest - smallest))
        while size >= smallest:
            font = _font(size)
            left, upper, right, lower = draw.textbbox((0, 0), word, font=font)
            w, h = right - left + 6, lower - upper + 4
            spot = _find_spot(w, h, width, height, boxes)
            if spot is not None:
                x, y = spot
                boxes.append((x, y, x + w, y + h))
                placed.append((word, count, size, (x + 3 - left, y + 2 - upper), COLOURS[index % len(COLOURS)]))
                break
            size -= 4
    return placed


def _find_spot(w, h, width, height, boxes):
    cx, cy = width / 2, height / 2
    step = 0.0
    while step < 400:  # an Archimedean spiral, stretched to the picture's shape
        radius = 3.0 * step
        x = cx + radius * math.cos(step) * (width / height) - w / 2
        y = cy + radius * math.sin(step) - h / 2
        box = (round(x), round(y), round(x) + w, round(y) + h)
        if box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height and not _overlaps(box, boxes):
            return box[0], box[1]
        step += 0.1
    return None


def png(counts, width=900, height=450):
    """The word cloud as PNG bytes; an empty picture saying so when there are no words."""
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    words = layout(counts, width, height)
    if not words:
        draw.text((width / 2, height / 2), "No free-text answers yet", font=_font(24), fill="#505a5f", anchor="mm")
    for word, _, size, position, colour in words:
        draw.text(position, word, font=_font(size), fill=colour)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
