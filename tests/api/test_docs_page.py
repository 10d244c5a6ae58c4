"""The interactive API page loads Swagger UI from our own static files, never from a CDN."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_the_docs_page_uses_only_files_the_project_serves():
    page = Client().get("/api/v1/docs").content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    assert any(asset.endswith("swagger-ui.css") for asset in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not in the static files (make setup)"
    assert "<script>" not in page  # no inline script: the settings travel in a JSON script tag
