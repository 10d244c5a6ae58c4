"""A strict Content-Security-Policy and a Permissions-Policy on every answer, and templates that need nothing
the policy forbids: no inline script, no on*= handler, no style attribute."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

import execsponsor
from tests.conftest import client_for

TEMPLATES = sorted(Path(execsponsor.__file__).resolve().parent.glob("**/templates/**/*.html"))
EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/login/", "/accounts/", "/api/v1/accounts", "/api/v1/docs", "/admin/", "/healthz"])
def test_every_answer_carries_the_policies(cast, path):
    response = client_for(cast.admin).get(path)

    assert response["Content-Security-Policy"] == EXPECTED_CSP
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_the_sweep_reads_the_templates():
    assert any(path.name == "base.html" for path in TEMPLATES) and len(TEMPLATES) > 10


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_no_template_needs_inline_script_or_style(template):
    text = template.read_text(encoding="utf-8")

    inline_scripts = [
        tag for tag in re.findall(r"<script\b[^>]*>", text) if "src=" not in tag and "application/json" not in tag
    ]
    assert inline_scripts == [], template
    assert not re.search(r"\son[a-z]+\s*=", text), template
    assert not re.search(r"\sstyle\s*=", text), template
    assert "<style" not in text, template
    assert "hx-on" not in text, template  # htmx would need eval for these


def test_htmx_is_told_not_to_inject_its_indicator_style():
    base = next(path for path in TEMPLATES if path.name == "base.html").read_text(encoding="utf-8")

    assert '"includeIndicatorStyles": false' in base


def test_pages_render_without_style_attributes(cast, db):
    page = Client()
    page.force_login(cast.admin)

    for path in ("/accounts/", f"/accounts/{cast.owned_account.pk}/", "/executives/me/api-tokens/"):
        html = page.get(path).content.decode()
        assert not re.search(r"\sstyle\s*=", html), path
        assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))[^>]*>", html), path
