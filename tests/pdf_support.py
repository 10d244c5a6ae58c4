"""Reading PDFs back in tests: their text (pypdf), their page count, and a PNG of a page (pdfium) to look at."""

from __future__ import annotations

import io
from pathlib import Path


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def page_png(pdf: bytes, out: Path, page: int = 0, scale: float = 1.4) -> Path:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        document[page].render(scale=scale).to_pil().save(out)
    finally:
        document.close()
    return out
