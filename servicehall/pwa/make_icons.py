"""The source of the PNG icons in static/pwa/ (the manifest's and the apple-touch-icon). Not used
at run time; run it again after changing the drawing:

    .venv/bin/python -m servicehall.pwa.make_icons

Each icon is the hall's blue square with a white rounded frame and the white characters 人社
(WenQuanYi Micro Hei; a simple white mark instead where that font is not installed). The
maskable icon keeps everything inside the central safe zone (a circle of 80% of the side),
since launchers crop it to their own shape. static/pwa/icon.svg is written by hand."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BLUE = (0x1A, 0x5D, 0xAD)
WHITE = (0xFF, 0xFF, 0xFF)
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
OUT = Path(__file__).resolve().parent / "static" / "pwa"
SCALE = 4  # draw four times larger, then shrink: smooth edges


def draw_icon(size: int, *, maskable: bool) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGB", (big, big), BLUE)
    draw = ImageDraw.Draw(image)
    # The frame's share of the side: the maskable one fits inside the safe-zone circle
    # (a square of side s has a diagonal of 1.41 s; 0.54 * 1.41 = 0.76 < 0.8).
    frame = 0.54 if maskable else 0.78
    inset = big * (1 - frame) / 2
    stroke = max(SCALE, round(big * 0.035))
    draw.rounded_rectangle(
        (inset, inset, big - inset, big - inset), radius=big * frame * 0.2, outline=WHITE, width=stroke
    )
    if FONT.exists():
        font_size = round(big * frame * 0.38)
        # The regular weight is thin at launcher sizes: a white outline makes it bolder.
        font = ImageFont.truetype(str(FONT), font_size)
        draw.text((big / 2, big / 2), "人社", fill=WHITE, font=font, anchor="mm",
                  stroke_width=round(font_size * 0.03), stroke_fill=WHITE)
    else:  # a plain white cross, as in the hall's emblem
        arm, bar = big * frame * 0.28, stroke * 1.5
        draw.rectangle((big / 2 - arm, big / 2 - bar / 2, big / 2 + arm, big / 2 + bar / 2), fill=WHITE)
        draw.rectangle((big / 2 - bar / 2, big / 2 - arm, big / 2 + bar / 2, big / 2 + arm), fill=WHITE)
    small = image.resize((size, size), Image.Resampling.LANCZOS)
    # Blue, white and the blends between them: a small palette keeps the files small.
    return small.quantize(colors=32, method=Image.Quantize.MEDIANCUT)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
    ):
        path = OUT / name
        draw_icon(size, maskable=maskable).save(path, optimize=True)
        print(f"{path.relative_to(OUT.parent.parent)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
