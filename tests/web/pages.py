"""Checks every HTML page must pass, applied by the web tests to whatever they fetch."""

from __future__ import annotations

from collections import Counter

from bs4 import BeautifulSoup

LANGS = ("kk", "ru", "en")


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html5lib")


def check_page(response, lang: str | None = None) -> BeautifulSoup:
    """One <h1>, a right lang, <title> starting with the h1, labels, unique ids."""
    assert response.mimetype == "text/html"
    page = parse(response)
    html_lang = page.html.get("lang")
    assert html_lang in LANGS, html_lang
    if lang:
        assert html_lang == lang
    h1s = page.select("h1")
    assert len(h1s) == 1, [h.get_text() for h in h1s]
    title = " ".join(page.title.get_text().split())
    heading = " ".join(h1s[0].get_text().split())
    assert heading in title, (title, heading)
    ids = Counter(tag["id"] for tag in page.select("[id]"))
    assert not [i for i, n in ids.items() if n > 1], ids
    for field in page.select("input, select, textarea"):
        if field.get("type") in ("hidden", "submit", "button"):
            continue
        fid = field.get("id")
        assert fid and page.select_one(f'label[for="{fid}"]'), f"no label for {field}"
    for form in page.select("form"):
        assert form.get("action"), form
        if (form.get("method") or "get").lower() == "post":
            assert form.select_one('input[name="csrf_token"]'), f"POST form without CSRF: {form}"
    return page


def text_of(page: BeautifulSoup) -> str:
    return " ".join(page.get_text(" ").split())
