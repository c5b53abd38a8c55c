"""What a review of the catalogues flagged on the residence pages (issue 6, "SMS texts" 4)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from tests.web.helpers import fill_draft, iin, new_draft, sign_and_submit, sign_in
from tests.web.pages import check_page, text_of

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def catalogue(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


def strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_russian_says_zayavlenie_for_the_application_everywhere():
    offending = [m.id for m in catalogue("ru") if m.id
                 and any("заявк" in s.lower() for s in strings(m))]
    assert offending == []


def test_kazakh_error_page_uses_the_possessive():
    found = catalogue("kk").get("Something went wrong on our side")
    assert found.string.startswith("Біздің тарапта")


def test_change_links_are_whole_sentences_in_every_language(seeded, client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    expected = {
        "en": ["Change the person", "Change the address", "Change the reason"],
        "ru": ["Изменить регистрируемое лицо", "Изменить адрес", "Изменить причину регистрации"],
        "kk": ["Өзгерту: тіркелетін адам", "Өзгерту: мекенжай", "Өзгерту: тіркеу себебі"],
    }
    for lang, links in expected.items():
        page = check_page(client.get(f"{base}/check?lang={lang}"), lang)
        assert [" ".join(a.get_text().split()) for a in page.select("dl.summary a")] == links


def test_myself_in_russian_is_not_a_bare_ya(seeded, client):
    sign_in(client, "owner_self")
    base = new_draft(client)
    page = check_page(client.get(f"{base}/who?lang=ru"), "ru")
    first = page.select_one("#person label").get_text(" ", strip=True)
    assert first.startswith("Я сам(а): Жұмабаев Асқар")


def test_kazakh_receipt_does_not_say_accepted_like_a_status(seeded, client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    sign_and_submit(client, base, "owner_self")
    page = check_page(client.get(f"{base}/receipt?lang=kk"), "kk")
    labels = [dt.get_text(strip=True) for dt in page.select("#receipt dt")]
    assert "Қабылданды" not in labels and "Қабылданған күні мен уақыты" in labels


def test_home_page_says_the_rule_is_about_the_person_registered(client):
    ru = text_of(check_page(client.get("/?lang=ru"), "ru"))
    kk = text_of(check_page(client.get("/?lang=kk"), "kk"))
    assert "Если регистрируемый не является собственником" in ru
    assert "Если вы не" not in ru
    assert "тіркелетін адамның меншігінде болмаса" in kk
    assert "сіздің меншігіңізде" not in kk


def test_signing_page_counts_minutes_and_seconds_with_plurals(seeded, client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    client.post(f"{base}/sign")
    text = text_of(check_page(client.get(f"{base}/sign?lang=ru"), "ru"))
    assert "Код действует 5 минут." in text
    assert "(можно через 60 секунд)" in text
