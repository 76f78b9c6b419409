"""Checks on an uploaded picture before it is decoded in full, then the decoding itself."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from bot.ocr.outcome import MAX_BYTES, MAX_PIXELS, OcrKind, OcrOutcome

# Formats a screenshot or a phone photo comes in; anything else is not taken for one.
FORMATS = (
    "JPEG",
    "PNG",
    "WEBP",
    "BMP",
    "GIF",
    "TIFF",
)


def open_checked(data: bytes) -> Image.Image | OcrOutcome:
    """The decoded RGB picture, or the outcome that says why it will not be read."""
    if len(data) > MAX_BYTES:
        return OcrOutcome(OcrKind.TOO_LARGE, reason=f"{len(data)} bytes")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        return OcrOutcome(OcrKind.NOT_IMAGE, reason=type(exc).__name__)
    except Image.DecompressionBombWarning:
        return OcrOutcome(OcrKind.TOO_LARGE, reason="decompression bomb")
    width, height = image.size
    if width * height > MAX_PIXELS:
        return OcrOutcome(OcrKind.TOO_LARGE, reason=f"{width}x{height} pixels")
    if getattr(image, "n_frames", 1) > 1 and image.format != "MPO":
        return OcrOutcome(OcrKind.ANIMATED, reason=f"{image.format} with frames")
    try:
        image.load()
        upright = ImageOps.exif_transpose(image)
        return upright.convert("RGB")
    except (OSError, ValueError, SyntaxError) as exc:
        # A truncated or corrupt file: the header was fine, the pixels are not.
        return OcrOutcome(OcrKind.NOT_IMAGE, reason=f"broken {image.format}: {exc}")
