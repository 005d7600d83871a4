"""Draws the site icon's bitmaps from the design of clinic/static/clinic/favicon.svg: a white cross
on a rounded teal square. Run once after changing the design (`.venv/bin/python scripts/draw_site_icons.py`);
the files it writes are committed:

- clinic/static/clinic/favicon-32.png, for browsers that do not read SVG icons;
- clinic/static/clinic/apple-touch-icon.png (180 × 180, square: the phone rounds its corners);
- clinic/root/favicon.ico (16, 32 and 48 pixels), served at /favicon.ico, which browsers ask for
  whatever the page links.
"""

from pathlib import Path

from PIL import Image, ImageDraw

CLINIC = Path(__file__).resolve().parent.parent / "clinic"
TEAL, WHITE = "#0b5f74", "#ffffff"
# favicon.svg's 32 × 32 grid: the square's corner radius, and the cross as its outline's points.
CORNER = 6
CROSS = [
    (13, 7),
    (19, 7),
    (19, 13),
    (25, 13),
    (25, 19),
    (19, 19),
    (19, 25),
    (13, 25),
    (13, 19),
    (7, 19),
    (7, 13),
    (13, 13),
]
# Drawn this many times larger, then scaled down, for smooth edges.
SUPERSAMPLE = 16


def icon(size, rounded=True):
    scale = size * SUPERSAMPLE / 32
    big = Image.new("RGBA", (size * SUPERSAMPLE,) * 2, (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    box = (0, 0, big.width - 1, big.height - 1)
    if rounded:
        draw.rounded_rectangle(box, radius=CORNER * scale, fill=TEAL)
    else:
        draw.rectangle(box, fill=TEAL)
    draw.polygon([(x * scale, y * scale) for x, y in CROSS], fill=WHITE)
    return big.resize((size, size), Image.Resampling.LANCZOS)


def main():
    static = CLINIC / "static" / "clinic"
    icon(32).save(static / "favicon-32.png", optimize=True)
    icon(180, rounded=False).convert("RGB").save(static / "apple-touch-icon.png", optimize=True)
    (CLINIC / "root").mkdir(exist_ok=True)
    icon(48).save(CLINIC / "root" / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
