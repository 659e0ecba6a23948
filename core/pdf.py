"""ReportLab fonts shared by every PDF the portal prints (voter lists, badges, press cards).

DejaVu Sans covers Latin, Uzbek Latin (ʻ) and Cyrillic; the files ship in
``voters/fonts`` with their licence.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "voters" / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_font_lock = threading.Lock()


def register_fonts() -> None:
    """Register DejaVu Sans (Latin and Cyrillic) with ReportLab once per process."""
    with _font_lock:
        if FONT in pdfmetrics.getRegisteredFontNames():
            return
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
