"""The PDF renderer: names in every script print, static stylesheets load, and nothing is fetched from outside."""

from __future__ import annotations

import http.server
import threading

import pytest
from django.template import engines

from execsponsor.common import pdf as pdf_module
from execsponsor.common.svg_charts import Series, bar_chart, line_chart
from tests.pdf_support import page_png, pdf_pages, pdf_text


@pytest.fixture
def probe_template(monkeypatch):
    """A template made from a string, served by the renderer's own loader call."""
    django_engine = engines["django"]

    def render_to_string(name, context):
        return django_engine.from_string(name).render(context)

    monkeypatch.setattr(pdf_module, "render_to_string", render_to_string)


class Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the stdlib's name
        Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_server():
    Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_names_in_every_script_print_and_the_stylesheet_loads(probe_template, tmp_path):
    template = (
        "{% load static %}<html><head><link rel='stylesheet' href='{% static \"css/print.css\" %}'></head>"
        "<body><h1>Quarterly review</h1><p>山田 太郎 · Søren Ærø Jørgensen · João Conceição</p></body></html>"
    )
    pdf = pdf_module.render_pdf(template, {})
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for name in ("山田 太郎", "Søren Ærø Jørgensen", "João Conceição"):
        assert name in text
    # print.css numbers the pages in the footer: proof the stylesheet was read through the static fetcher.
    assert "Page 1 of 1" in text
    assert pdf_pages(pdf) == 1
    assert page_png(pdf, tmp_path / "probe.png").stat().st_size > 1000


def test_an_address_in_the_data_is_never_fetched(probe_template, loopback_server):
    template = (
        "<html><body><img src='{{ url }}/tracker.png'><link rel='stylesheet' href='{{ url }}/x.css'>"
        "<img src='file:///etc/hostname'></body></html>"
    )
    pdf = pdf_module.render_pdf(template, {"url": loopback_server})
    assert pdf.startswith(b"%PDF")
    assert Recorder.hits == []


def test_svg_charts_escape_labels_and_show_an_empty_state():
    svg = line_chart(["<b>Q1</b>", "Q2"], [Series("NRR & more", [101.0, None])], title="<script>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;b&gt;Q1&lt;/b&gt;" in svg
    assert "No data yet" in line_chart([], [Series("x", [])])
    bars = bar_chart(["a", "b"], [2.0, -1.0])
    assert bars.count("<rect") == 2


def test_download_names_are_safe():
    assert pdf_module.pdf_filename("Briefing", 'Acme / "Best" Inc') == "Briefing-Acme-Best-Inc.pdf"
    assert pdf_module.pdf_filename("") == "execsponsor.pdf"
