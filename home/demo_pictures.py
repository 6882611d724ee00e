"""Demo pictures drawn with Pillow: the place, the neighbourhood, people at work.

Flat illustrations rather than photos (the demo ships no photographs), each scene
different so that no two cards look alike; every one comes with an alt text that
says what it shows. The seed makes a scene the same on every run.
"""

import functools
import random
from io import BytesIO

from PIL import Image as PILImage
from PIL import ImageDraw

INK = (35, 26, 18)
CREAM = (255, 250, 243)
SAND = (246, 234, 216)
TERRACOTTA = (184, 64, 14)
TEAL = (15, 82, 87)
OCHRE = (202, 138, 4)
PLUM = (112, 48, 84)
SKY = (214, 232, 230)
LEAF = (74, 124, 89)
SKIN = [(241, 194, 125), (198, 134, 66), (141, 85, 36), (224, 172, 105), (255, 219, 172)]
CLOTHES = [TERRACOTTA, TEAL, OCHRE, PLUM, (61, 90, 128), (176, 80, 60)]


def _person(draw, x, y, height, rng, *, seated=False):
    """A figure standing (or seated) with its feet (or seat) at ``y``."""
    head = height * 0.16
    body_top = y - height + head * 2
    colour = rng.choice(CLOTHES)
    if seated:
        body_top = y - height * 0.62 + head * 2
    draw.ellipse((x - head, body_top - head * 2, x + head, body_top), fill=rng.choice(SKIN))
    draw.rounded_rectangle((x - head * 1.5, body_top + head * 0.2, x + head * 1.5, y), radius=int(head), fill=colour)


def _tree(draw, x, ground, size):
    draw.rectangle((x - size * 0.06, ground - size * 0.6, x + size * 0.06, ground), fill=(96, 70, 45))
    draw.ellipse((x - size * 0.4, ground - size * 1.3, x + size * 0.4, ground - size * 0.45), fill=LEAF)


def _facade(draw, w, h, rng):
    """The glazed ground floor on place Galilée, people walking in."""
    draw.rectangle((0, 0, w, h), fill=SKY)
    ground = int(h * 0.82)
    draw.rectangle((int(w * 0.08), int(h * 0.18), int(w * 0.92), ground), fill=SAND)
    for row in range(3):
        for col in range(8):
            x0 = int(w * (0.11 + col * 0.1))
            y0 = int(h * (0.22 + row * 0.09))
            draw.rectangle((x0, y0, x0 + int(w * 0.07), y0 + int(h * 0.06)), fill=(200, 190, 175))
    glass_top = int(h * 0.5)
    draw.rectangle((int(w * 0.1), glass_top, int(w * 0.9), ground), fill=(160, 200, 205))
    for col in range(9):
        x = int(w * (0.1 + col * 0.1))
        draw.line((x, glass_top, x, ground), fill=TEAL, width=max(3, w // 200))
    draw.rectangle((int(w * 0.1), glass_top - int(h * 0.04), int(w * 0.9), glass_top), fill=TERRACOTTA)
    draw.rectangle((0, ground, w, h), fill=(190, 180, 165))
    for x in (0.04, 0.96):
        _tree(draw, int(w * x), ground, h * 0.35)
    for _ in range(6):
        _person(draw, rng.randint(int(w * 0.15), int(w * 0.85)), ground + rng.randint(5, int(h * 0.12)), h * 0.22, rng)


def _neighbourhood(draw, w, h, rng):
    """Tower blocks of the Grésilles behind trees and a square."""
    draw.rectangle((0, 0, w, h), fill=(236, 214, 190))
    draw.ellipse((int(w * 0.75), int(h * 0.08), int(w * 0.88), int(h * 0.31)), fill=OCHRE)
    ground = int(h * 0.78)
    x = int(w * 0.02)
    while x < w:
        width = rng.randint(int(w * 0.1), int(w * 0.18))
        top = rng.randint(int(h * 0.2), int(h * 0.5))
        colour = rng.choice([(225, 225, 215), (205, 195, 180), (240, 232, 220)])
        draw.rectangle((x, top, x + width, ground), fill=colour, outline=(150, 140, 125), width=2)
        for wy in range(top + 12, ground - 12, 26):
            for wx in range(x + 10, x + width - 14, 22):
                draw.rectangle((wx, wy, wx + 10, wy + 12), fill=rng.choice([TEAL, (120, 150, 160), (250, 220, 150)]))
        x += width + rng.randint(8, 30)
    draw.rectangle((0, ground, w, h), fill=LEAF)
    for tx in range(40, w, 130):
        _tree(draw, tx + rng.randint(-20, 20), ground + 10, h * 0.3)


def _coworking(draw, w, h, rng):
    """People at work at long shared tables, laptops open."""
    draw.rectangle((0, 0, w, h), fill=CREAM)
    draw.rectangle((0, 0, w, int(h * 0.45)), fill=(170, 205, 205))
    for col in range(6):
        x = int(w * (0.02 + col * 0.17))
        draw.rectangle((x, int(h * 0.05), x + int(w * 0.14), int(h * 0.42)), fill=(205, 228, 226))
    for row, table_y in enumerate((0.7, 0.93)):
        y = int(h * table_y)
        for i in range(4):
            px = int(w * (0.12 + i * 0.25)) + row * 30
            _person(draw, px, y, h * 0.4, rng, seated=True)
            draw.polygon([(px - 35, y - 28), (px + 35, y - 28), (px + 28, y - 4), (px - 28, y - 4)], fill=(60, 60, 70))
        draw.rectangle((int(w * 0.03), y, int(w * 0.97), y + int(h * 0.04)), fill=(150, 105, 60))


def _workshop(draw, w, h, rng):
    """A workshop: people standing around a board covered in notes."""
    draw.rectangle((0, 0, w, h), fill=SAND)
    board = (int(w * 0.25), int(h * 0.1), int(w * 0.75), int(h * 0.6))
    draw.rectangle(board, fill=CREAM, outline=INK, width=4)
    for _ in range(18):
        x = rng.randint(board[0] + 10, board[2] - 60)
        y = rng.randint(board[1] + 10, board[3] - 60)
        draw.rectangle(
            (x, y, x + 50, y + 45), fill=rng.choice([OCHRE, (250, 200, 120), (180, 220, 200), (240, 170, 150)])
        )
    ground = int(h * 0.97)
    for i in range(7):
        _person(draw, int(w * (0.08 + i * 0.14)), ground, h * rng.uniform(0.42, 0.52), rng)


def _history(draw, w, h, rng):
    """A timeline of the building and the pole, from the Boutaric building to place Galilée."""
    draw.rectangle((0, 0, w, h), fill=INK)
    y = int(h * 0.55)
    draw.line((int(w * 0.05), y, int(w * 0.95), y), fill=SAND, width=6)
    for i, colour in enumerate([TERRACOTTA, OCHRE, TEAL, PLUM, TERRACOTTA, OCHRE]):
        x = int(w * (0.1 + i * 0.16))
        r = int(h * 0.05)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour, outline=SAND, width=4)
        height = int(h * (0.12 + 0.05 * i))
        draw.rectangle((x - r, y - r - height, x + r, y - r - 8), fill=(90, 75, 60))


def _moving(draw, w, h, rng):
    """Boxes carried into a new, brighter space."""
    draw.rectangle((0, 0, w, h), fill=(250, 240, 225))
    draw.rectangle((int(w * 0.55), int(h * 0.1), int(w * 0.95), int(h * 0.85)), fill=(180, 215, 215))
    ground = int(h * 0.9)
    draw.rectangle((0, ground, w, h), fill=(200, 180, 150))
    for i in range(7):
        x = int(w * 0.05) + i * int(w * 0.06)
        size = rng.randint(int(h * 0.1), int(h * 0.16))
        top = ground - size * (1 + i % 2)
        draw.rectangle((x, top, x + size, top + size), fill=(196, 150, 100), outline=(140, 100, 60), width=3)
    for x in (0.5, 0.68):
        _person(draw, int(w * x), ground, h * 0.5, rng)


def _network(draw, w, h, rng):
    """Places linked across a map: the network of tiers-lieux."""
    draw.rectangle((0, 0, w, h), fill=TEAL)
    points = [(rng.randint(int(w * 0.08), int(w * 0.92)), rng.randint(int(h * 0.1), int(h * 0.9))) for _ in range(11)]
    for i, a in enumerate(points):
        for b in points[i + 1 : i + 3]:
            draw.line((a, b), fill=(120, 180, 180), width=4)
    for x, y in points:
        r = rng.randint(14, 30)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice([OCHRE, CREAM, TERRACOTTA]))


def _radio(draw, w, h, rng):
    """A studio microphone and sound waves."""
    draw.rectangle((0, 0, w, h), fill=PLUM)
    cx, cy = w // 2, int(h * 0.42)
    for i in range(4, 0, -1):
        r = int(h * 0.1 * i)
        draw.arc((cx - r, cy - r, cx + r, cy + r), 200, 340, fill=(230, 190, 210), width=6)
    draw.rounded_rectangle((cx - 45, cy - 90, cx + 45, cy + 60), radius=45, fill=CREAM)
    draw.rectangle((cx - 6, cy + 60, cx + 6, int(h * 0.85)), fill=CREAM)
    draw.rectangle((cx - 90, int(h * 0.85), cx + 90, int(h * 0.88)), fill=CREAM)


def _stage(draw, w, h, rng):
    """Performers under spotlights on a small stage, the audience in front."""
    draw.rectangle((0, 0, w, h), fill=(30, 24, 40))
    for x in (0.3, 0.7):
        draw.polygon(
            [(int(w * x), 0), (int(w * x) - 160, int(h * 0.75)), (int(w * x) + 160, int(h * 0.75))], fill=(90, 75, 60)
        )
    draw.rectangle((0, int(h * 0.75), w, h), fill=TERRACOTTA)
    for x in (0.3, 0.5, 0.7):
        _person(draw, int(w * x), int(h * 0.75), h * 0.42, rng)
    for i in range(10):
        _person(draw, int(w * (0.05 + i * 0.1)), h + 10, h * 0.22, rng)


def _garden(draw, w, h, rng):
    """Neighbours gardening raised beds on the esplanade."""
    draw.rectangle((0, 0, w, h), fill=(222, 236, 220))
    ground = int(h * 0.7)
    draw.rectangle((0, ground, w, h), fill=(160, 130, 90))
    for i in range(4):
        x = int(w * (0.05 + i * 0.24))
        draw.rectangle((x, ground - 40, x + int(w * 0.18), ground + 10), fill=(120, 85, 50))
        for j in range(6):
            px = x + 15 + j * int(w * 0.025)
            draw.ellipse((px - 12, ground - 75, px + 12, ground - 40), fill=LEAF)
    for x in (0.2, 0.55, 0.85):
        _person(draw, int(w * x), int(h * 0.98), h * 0.45, rng)


def _share(draw, w, h, rng):
    """The association's colours and mark, for sharing on social networks."""
    draw.rectangle((0, 0, w, h), fill=TERRACOTTA)
    r = int(h * 0.3)
    cx, cy = int(w * 0.5), int(h * 0.5)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=CREAM)
    draw.arc((cx - r * 0.6, cy - r * 0.1, cx + r * 0.6, cy + r * 0.9), 200, 340, fill=TERRACOTTA, width=int(r * 0.2))
    draw.ellipse((cx - r * 0.2, cy - r * 0.55, cx + r * 0.2, cy - r * 0.15), fill=TERRACOTTA)


SCENES = {
    "facade": _facade,
    "neighbourhood": _neighbourhood,
    "coworking": _coworking,
    "workshop": _workshop,
    "history": _history,
    "moving": _moving,
    "network": _network,
    "radio": _radio,
    "stage": _stage,
    "garden": _garden,
    "share": _share,
}


@functools.cache
def draw_scene(scene, width, height, seed):
    """PNG bytes of one scene; the same seed always draws the same picture (so a process draws it once)."""
    canvas = PILImage.new("RGB", (width, height), CREAM)
    SCENES[scene](ImageDraw.Draw(canvas), width, height, random.Random(seed))  # noqa: S311 - a drawing, not a secret
    buffer = BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
