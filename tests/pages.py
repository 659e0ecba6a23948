"""Reading the pages tests request: the language they ask for and the parts of the HTML they look at."""

from __future__ import annotations

import re

#: Every page request whose text we read asks for English.
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def block(html: str, element_id: str) -> str:
    """The outer HTML of the ``<div ... id="element_id">`` block (no nested divs in these templates)."""
    match = re.search(rf'<div[^>]*id="{re.escape(element_id)}"[^>]*>.*?</div>', html, re.S)
    assert match, f"no #{element_id} in the page"
    return match.group(0)


def errorlists(html: str) -> list[str]:
    """Every rendered error list of a page, in order."""
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>.*?</ul>', html, re.S)
