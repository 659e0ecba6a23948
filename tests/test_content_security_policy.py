"""The Content-Security-Policy: scripts only from this origin, on every answer; no inline script in templates."""

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client

from core.middleware import ContentSecurityPolicyMiddleware

ROOT = Path(__file__).resolve().parent.parent


def directives(header: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/check/",
        "/accounts/login/",
        "/admin/login/",
        "/api/docs/",
        "/api/v1/public/ping/",
        "/public/parties/",
        "/no-such-page/",
    ],
)
def test_every_answer_allows_scripts_from_this_origin_only(url):
    response = Client().get(url)
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no other host
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]


def template_files():
    dirs = [ROOT / "templates", *ROOT.glob("*/templates")]
    return [p for d in dirs for p in d.rglob("*.html") if ".venv" not in p.parts]


def test_templates_hold_no_inline_script_or_event_handler():
    assert len(template_files()) > 50
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
    found = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for pattern in (inline_script, handler, re.compile(r"javascript:", re.I)):
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert found == []


def test_the_api_docs_load_their_start_up_script_from_this_origin():
    page = Client().get("/api/docs/").content.decode()
    assert "<script>" not in page
    script = re.search(r'<script src="(/api/docs/\?[^"]*script[^"]*)"', page)
    assert script, page
    response = Client().get(script.group(1).replace("&amp;", "&"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def test_an_empty_setting_sets_no_header(settings):

    settings.CONTENT_SECURITY_POLICY = ""
    assert "Content-Security-Policy" not in ContentSecurityPolicyMiddleware(lambda request: HttpResponse())(None)
