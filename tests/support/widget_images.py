"""Pictures of the license widget drawn with Pillow at test time, each with its ground truth."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
FONT_FILES = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")
FONT_PACKAGE = "fonts-dejavu-core"
Font = ImageFont.FreeTypeFont


@dataclass(frozen=True)
class WidgetImage:
    """An encoded picture and the Request ID a careful reader finds in it (None: no ID)."""

    name: str
    data: bytes
    expected: str | None


@dataclass(frozen=True)
class Theme:
    page: str = "#f5f7f9"
    panel: str = "#ffffff"
    text: str = "#333333"
    muted: str = "#8a8f94"
    accent: str = "#2fc6f6"
    good: str = "#2f9a3f"


DARK = Theme("#1e1f22", "#2b2d31", "#e3e5e8", "#949ba4", "#1d6fa5", "#3ba55c")


def font_path() -> Path | None:
    """A DejaVu or Liberation sans font on this machine, if any."""
    for folder in FONT_DIRS:
        for name in FONT_FILES:
            found = sorted(folder.rglob(name)) if folder.is_dir() else []
            if found:
                return found[0]
    return None


def fake_uuid(rng: random.Random) -> str:
    digits = f"{rng.getrandbits(128):032x}"
    return f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-a{digits[17:20]}-{digits[20:]}"


def _font(size: int) -> Font:
    path = font_path()
    if path is None:
        raise FileNotFoundError(f"no DejaVu/Liberation font; apt-get install {FONT_PACKAGE}")
    return ImageFont.truetype(str(path), size)


def settings_page(
    request_id: str | None,
    *,
    scale: float = 1.0,
    theme: Theme = Theme(),
    extra: tuple[str, ...] = (),
) -> Image.Image:
    """A desktop admin page: menu, module title, settings fields and the license widget."""
    s = scale
    width, height = int(1280 * s), int(800 * s)
    image = Image.new("RGB", (width, height), theme.page)
    draw = ImageDraw.Draw(image)
    big, body, small = _font(int(22 * s)), _font(int(15 * s)), _font(int(13 * s))
    draw.rectangle((0, 0, int(230 * s), height), fill=theme.panel)
    for row, item in enumerate(("Рабочий стол", "Настройки", "Магазин", "Сервисы", "Marketplace")):
        draw.text((int(24 * s), int((80 + 38 * row) * s)), item, font=body, fill=theme.muted)
    x = int(270 * s)
    draw.text(
        (x, int(30 * s)), "Настройки модуля «МойСклад: Синхронизация»", font=big, fill=theme.text
    )
    for row, (label, value) in enumerate((("Логин API", "admin@shop"), ("Склад", "Основной"))):
        y = int((100 + 44 * row) * s)
        draw.text((x, y), label, font=body, fill=theme.muted)
        draw.rectangle(
            (x + int(200 * s), y - 6, x + int(560 * s), y + int(26 * s)), outline=theme.muted
        )
        draw.text((x + int(210 * s), y), value, font=body, fill=theme.text)
    for row, line in enumerate(extra):
        draw.text((x, int((210 + 30 * row) * s)), line, font=small, fill=theme.text)
    if request_id is not None:
        top = int(420 * s)
        draw.rectangle(
            (x, top, x + int(760 * s), top + int(170 * s)), fill=theme.panel, outline=theme.accent
        )
        draw.text(
            (x + int(20 * s), top + int(20 * s)),
            "Лицензия модуля активна. Срок активности до 07.08.2026",
            font=body,
            fill=theme.good,
        )
        draw.text(
            (x + int(20 * s), top + int(60 * s)),
            f"Request ID: {request_id}",
            font=body,
            fill=theme.text,
        )
        draw.rectangle(
            (x + int(20 * s), top + int(110 * s), x + int(380 * s), top + int(150 * s)),
            fill=theme.accent,
        )
        draw.text(
            (x + int(34 * s), top + int(120 * s)),
            "Скопировать информацию о лицензии",
            font=small,
            fill="#ffffff",
        )
    return image


def phone_page(request_id: str, *, split: int = 19, theme: Theme = Theme()) -> Image.Image:
    """A narrow phone screen where the Request ID wraps onto a second line at `split`."""
    image = Image.new("RGB", (720, 1560), theme.page)
    draw = ImageDraw.Draw(image)
    body, big = _font(30), _font(38)
    draw.text((40, 90), "Настройки модуля", font=big, fill=theme.text)
    draw.rectangle((30, 300, 690, 760), fill=theme.panel, outline=theme.accent)
    lines = (
        "Лицензия модуля активна.",
        "Срок активности до 07.08.2026",
        f"Request ID: {request_id[:split]}",
        request_id[split:],
    )
    for row, line in enumerate(lines):
        draw.text((60, 340 + 56 * row), line, font=body, fill=theme.text)
    return image


def wide_desktop(request_id: str) -> Image.Image:
    """A whole 2560x1440 monitor with the admin page at normal size in one corner."""
    canvas = Image.new("RGB", (2560, 1440), "#0b3d5c")
    canvas.paste(settings_page(request_id), (0, 0))
    return canvas


def photo_of(image: Image.Image, *, angle: float, blur: float = 0.6) -> Image.Image:
    """A phone photo of a screen: tilted on a grey desk, a little soft, slightly darker."""
    tilted = image.rotate(
        angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="#6b6b6b"
    )
    canvas = Image.new("RGB", (tilted.width + 120, tilted.height + 90), "#5a5a5a")
    canvas.paste(tilted, (60, 45))
    return canvas.filter(ImageFilter.GaussianBlur(blur)).point(lambda v: int(v * 0.92))


def encode(image: Image.Image, fmt: str = "PNG", *, quality: int = 87) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, quality=quality) if fmt == "JPEG" else image.save(out, fmt)
    return out.getvalue()


def telegram_photo(image: Image.Image) -> bytes:
    """What Telegram makes of a photo: at most 1280 px on the long side, JPEG quality ~87."""
    copy = image.copy()
    copy.thumbnail((1280, 1280), Image.Resampling.LANCZOS)
    return encode(copy, "JPEG", quality=87)


def widget_images(seed: int = 11) -> list[WidgetImage]:
    """The whole set: every layout the issue names, plus pictures with no Request ID at all."""
    rng = random.Random(seed)
    cases: list[tuple[str, Callable[[str], bytes] | Callable[[str], bytes], bool]] = [
        ("page-png", lambda rid: encode(settings_page(rid)), True),
        ("page-small-0.8", lambda rid: encode(settings_page(rid, scale=0.8)), True),
        ("page-tiny-0.7-jpeg", lambda rid: encode(settings_page(rid, scale=0.7), "JPEG"), True),
        ("page-hidpi-1.5", lambda rid: encode(settings_page(rid, scale=1.5)), True),
        ("page-hidpi-telegram", lambda rid: telegram_photo(settings_page(rid, scale=2.0)), True),
        ("desktop-2560-file", lambda rid: encode(settings_page(rid, scale=2.0)), True),
        ("wide-desktop-file", lambda rid: encode(wide_desktop(rid)), True),
        ("page-jpeg-87", lambda rid: encode(settings_page(rid), "JPEG"), True),
        ("page-webp", lambda rid: encode(settings_page(rid, scale=1.2), "WEBP"), True),
        ("dark-png", lambda rid: encode(settings_page(rid, theme=DARK)), True),
        (
            "dark-telegram",
            lambda rid: telegram_photo(settings_page(rid, scale=1.25, theme=DARK)),
            True,
        ),
        ("phone-wrap-dash", lambda rid: telegram_photo(phone_page(rid, split=19)), True),
        ("phone-wrap-inside", lambda rid: telegram_photo(phone_page(rid, split=27)), True),
        ("phone-dark", lambda rid: telegram_photo(phone_page(rid, split=24, theme=DARK)), True),
        (
            "photo-tilt-2",
            lambda rid: telegram_photo(photo_of(settings_page(rid, scale=1.5), angle=2)),
            True,
        ),
        (
            "photo-tilt-minus-3",
            lambda rid: telegram_photo(photo_of(settings_page(rid, scale=1.5), angle=-3)),
            True,
        ),
        (
            "decoys",
            lambda rid: telegram_photo(settings_page(rid, scale=1.25, extra=_decoys(rng))),
            True,
        ),
        (
            "decoys-dark",
            lambda rid: encode(settings_page(rid, theme=DARK, extra=_decoys(rng))),
            True,
        ),
        ("no-widget", lambda rid: encode(settings_page(None)), False),
        (
            "no-widget-decoys",
            lambda rid: telegram_photo(settings_page(None, extra=_decoys(rng))),
            False,
        ),
    ]
    images = []
    for name, render, has_id in cases:
        request_id = fake_uuid(rng)
        images.append(WidgetImage(name, render(request_id), request_id if has_id else None))
    return images


def hard_photos(seed: int = 5, count: int = 30) -> list[WidgetImage]:
    """Worse than the issue asks: small text, blur, tilt up to 8°, JPEG down to quality 50."""
    rng = random.Random(seed)
    images = []
    for number in range(count):
        request_id = fake_uuid(rng)
        scale = rng.choice((0.5, 0.55, 0.6, 0.65, 0.7))
        angle, blur = rng.uniform(-8, 8), rng.uniform(0.5, 1.8)
        quality = rng.choice((50, 70, 87))
        theme = rng.choice((Theme(), DARK))
        page = settings_page(request_id, scale=scale * 2, theme=theme, extra=_decoys(rng)[1:])
        photo = photo_of(page, angle=angle, blur=blur)
        photo.thumbnail((int(1280 * scale / 0.7),) * 2)
        name = f"hard-{number:02}-s{scale}-a{angle:.0f}-b{blur:.1f}-q{quality}"
        images.append(WidgetImage(name, encode(photo, "JPEG", quality=quality), request_id))
    return images


def _decoys(rng: random.Random) -> tuple[str, ...]:
    md5 = f"{rng.getrandbits(128):032x}"
    return (f"Контрольная сумма архива (md5): {md5}", f"ID сессии: {fake_uuid(rng)}")
