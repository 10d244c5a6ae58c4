"""Pages as PDF: a Django template rendered to HTML, then laid out by WeasyPrint.

WeasyPrint runs no JavaScript, so a PDF's charts are SVG drawn on the server (`common/svg_charts.py`). It
fetches nothing from the network: stylesheets and images under STATIC_URL are read from the project's own
static files, `data:` URLs are allowed, and every other URL is refused, so a value in the data can never
make the server fetch an address.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

PDF_CONTENT_TYPE = "application/pdf"


class RefusedUrl(ValueError):
    pass


def _static_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        """Serves our static files and data: URLs; refuses everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            static_path = "/" + settings.STATIC_URL.strip("/") + "/"
            # Root-relative links (`{% static %}`) resolve against the base to file:///static/…
            prefix = "file://" + static_path
            if url.startswith(prefix):
                path = finders.find(url[len(prefix) :].split("?", 1)[0])
                if path:
                    with open(path, "rb") as handle:
                        return URLFetcherResponse(url, handle.read(), {"Content-Type": _content_type(path)})
            log.info("pdf: refused to fetch %s", url[:200])
            raise RefusedUrl(url[:200])

    return StaticOnly(allowed_protocols=("data", "file"), allow_redirects=False)


def _content_type(path: str) -> str:
    import mimetypes

    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The template as a PDF. Templates link their stylesheet as `{% static 'css/print.css' %}`."""
    from weasyprint import HTML

    html = render_to_string(template_name, {**context, "for_pdf": True})
    return HTML(string=html, base_url="file:///", url_fetcher=_static_fetcher()).write_pdf()


def pdf_filename(*parts: str) -> str:
    """A safe download name: letters, digits and dashes only."""
    name = "-".join(p for p in parts if p)
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in name).strip("-")
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    return (cleaned or "execsponsor")[:120] + ".pdf"
