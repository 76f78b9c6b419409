"""The OCR engine (rapidocr on onnxruntime) with the models from inside its wheel; no download."""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path
from typing import Any

from PIL import Image

from bot.licensing.ocr_text import TextBox

logger = logging.getLogger(__name__)

# The files rapidocr 3.10.0 ships in rapidocr/models; naming them means it never fetches one.
DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"


def bundled_model(name: str) -> Path:
    """The path of a model file inside the installed rapidocr package."""
    path = Path(str(files("rapidocr") / "models" / name))
    if not path.is_file():
        raise FileNotFoundError(f"rapidocr ships no {name}; is the pinned version installed?")
    return path


# Detection works on the picture scaled down to this long side (Telegram's photos are 1280);
# recognition then reads each line from the full-size picture.
DET_SIDE = 1280
# The second look at the lines that hold an ID: enlarged this much, within this size.
REREAD_SCALE = 2.0
REREAD_MAX_SIDE = 2560


def engine_params(det_side: int = DET_SIDE) -> dict[str, Any]:
    """The settings the worker runs the engine with."""
    return {
        "Global.log_level": "error",
        # A screenshot is upright; the 180° classifier only costs time.
        "Global.use_cls": False,
        "Det.model_path": str(bundled_model(DET_MODEL)),
        "Rec.model_path": str(bundled_model(REC_MODEL)),
        "Det.limit_type": "max",
        "Det.limit_side_len": det_side,
        "EngineConfig.onnxruntime.intra_op_num_threads": 2,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }


class Engine:
    """Loads the models once; turns one RGB picture into recognised text boxes."""

    def __init__(self, det_side: int = DET_SIDE) -> None:
        from rapidocr import RapidOCR  # imported here: only the worker process pays for it

        self._ocr = RapidOCR(params=engine_params(det_side))

    def recognise(self, image: Image.Image) -> list[TextBox]:
        result: Any = self._ocr(image, use_det=True, use_cls=False, use_rec=True)
        if result.boxes is None or result.txts is None:
            return []
        return [
            TextBox(str(text), tuple((float(x), float(y)) for x, y in box), float(score))
            for box, text, score in zip(result.boxes, result.txts, result.scores, strict=True)
        ]

    def reread(self, image: Image.Image, boxes: list[TextBox]) -> list[TextBox]:
        """Read the region around `boxes` again, enlarged twice: an independent second look."""
        if not boxes:
            return []
        pad = max(box.bottom - box.top for box in boxes)
        region = (
            max(0, int(min(box.left for box in boxes) - pad)),
            max(0, int(min(box.top for box in boxes) - pad)),
            min(image.width, int(max(box.right for box in boxes) + pad)),
            min(image.height, int(max(box.bottom for box in boxes) + pad)),
        )
        crop = image.crop(region)
        scale = min(REREAD_SCALE, REREAD_MAX_SIDE / max(crop.size))
        size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
        return self.recognise(crop.resize(size, Image.Resampling.BICUBIC))

    def warm_up(self) -> None:
        """Run once on a blank picture so the first customer does not wait for model loading."""
        self.recognise(Image.new("RGB", (64, 32), "white"))
