"""What people see (the issue "What people see"): valid HTML, long links that wrap, forms that
show errors only after a submit, no step line on pages that end the journey, the signing choice
as it really works, and the under-14 rule as an answer rather than an input error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.helpers import application_at, fill_draft, iin, sign_and_submit, sign_in
from tests.web.housing_helpers import submit, walk
from tests.web.pages import parse
from tests.web.test_residence import path_page

ROOT = Path(__file__).resolve().parents[2]


def test_no_template_writes_a_bare_hx_attribute():
    """The Nu checker rejects `hx-*`; htmx reads `data-hx-*` just the same."""
    bare = re.compile(r"\shx-[a-z]")
    found = [f"{path.relative_to(ROOT)}:{n}"
             for path in sorted((ROOT / "templates").rglob("*.html"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if bare.search(line)]
    assert not found, found


def _wraps_anywhere(css_class: str) -> bool:
    css = (ROOT / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    return any("overflow-wrap:anywhere" in rule.replace(" ", "")
               for rule in re.findall(r"\." + css_class + r"\s*\{([^}]*)\}", css))


def test_the_printed_status_link_of_the_residence_receipt_wraps_at_360_px(seeded, client):
    """One unbroken URL made the receipt 413 px (en) / 445 px (ru) wide on a 360 px phone."""
    assert _wraps_anywhere("status-link")
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    sign_and_submit(client, base, "owner_self")
    residence = parse(client.get(f"{base}/receipt?lang=ru"))
    token = application_at(base).status_token
    link = residence.select_one(".status-link")
    assert link and token in link.get_text()


def test_the_printed_status_link_of_the_housing_receipt_wraps_at_360_px(seeded, client):
    assert _wraps_anywhere("status-link")
    housing = walk(client, "no_housing")
    submit(client, housing, "no_housing")
    link = parse(client.get(f"{housing}/receipt?lang=ru")).select_one(".status-link")
    assert link and "/s/" in link.get_text()


@pytest.mark.parametrize("key,search,going_on", [
    ("minor_owner_applicant", "Тәуке хан 24 5", False),  # only at a Public Service Centre
    ("lease_outsider", "Сарыарқа 31 104", False),  # refused: not in the lease
    ("lease_member", "Сарыарқа 31 104", True),
])
def test_a_page_that_ends_the_journey_shows_no_step_line(seeded, client, key, search, going_on):
    _, page = path_page(client, key, iin(key), search)
    assert bool(page.select(".steps")) is going_on


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_queue_page_shows_errors_only_after_a_search(client, lang):
    """The language links open /queue?lang=…: that is no search and gets the empty form."""
    page = parse(client.get(f"/queue?lang={lang}"))
    assert not page.select(".error-summary, .error, [aria-invalid]")
    searched = parse(client.get(f"/queue?settlement=almaty&list_code=general&number=&lang={lang}"))
    assert searched.select_one(".error-summary") and searched.select_one("#number[aria-invalid]")


def test_the_queue_number_box_is_a_normal_size_input(client):
    """The number box was a bare 110x20 px browser default: it gets the rule text inputs get."""
    box = parse(client.get("/queue?lang=en")).select_one("input#number")
    css = (ROOT / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    sized = next(selectors for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)
                 if "min-height:44px" in body and "input[type=text]" in selectors)
    assert f"input[type={box.get('type', 'text')}]" in sized.split(",")


def test_nothing_decided_offers_a_complaint_but_not_about_the_decision(seeded, client):
    """Under review only an action (or, once late, a delay) can be complained about."""
    base = walk(client, "emergency", case="emergency")
    submit(client, base, "emergency")
    done = parse(client.get(f"{base}/done?lang=en"))
    link = done.select_one(f"a[href$='{base}/complaint']")
    assert link and link.get_text(strip=True) == "Make a complaint"
    assert "Complain about the decision" not in done.get_text()
    assert parse(client.get(f"{base}/complaint?lang=en")).h1.get_text(strip=True) == (
        "Make a complaint")


def test_a_decision_is_complained_about_by_its_name(seeded, client):
    base = walk(client, "sold_recently", settlement="astana")
    submit(client, base, "sold_recently")  # a preliminary refusal: a decision
    link = parse(client.get(f"{base}/done?lang=en")).select_one(f"a[href$='{base}/complaint']")
    assert link.get_text(strip=True) == "Complain about the decision"


def test_the_history_in_my_applications_says_who_and_where(seeded, client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    sign_and_submit(client, base, "owner_self")
    [row] = parse(client.get("/cabinet?lang=en")).select("#sent-h ~ ul li")
    text = " ".join(row.get_text(" ").split())
    assert "Person: " in text and "Address: Almaty, проспект Абая, 150, 12" in text
    assert not re.search(r"·\s*·|·\s*$|^\s*·", text)


WORDING = {  # what the pages promise must be what the rules allow
    "kk": ("14 жасқа толмаған баланың", "кәмелетке толмаған балаларыңыз отбасыңыздың құрамына"),
    "ru": ("ребёнок до 14 лет живёт по месту жительства родителей",
           "несовершеннолетние дети включаются в состав вашей семьи"),
    "en": ("a child under 14 lives at the parents' place of residence",
           "your minor children are included in your family"),
}


@pytest.mark.parametrize("lang", sorted(WORDING))
def test_the_pages_invite_only_whom_the_rules_accept(client, lang):
    """A minor is not an applicant for the housing list (adults, orphans and children left
    without parental care [002 p.7, p.11]); a child under 14 is never registered separately
    (Civil Code art. 16)."""
    residence, housing = WORDING[lang]
    home = " ".join(parse(client.get(f"/?lang={lang}")).get_text(" ").split())
    start = " ".join(parse(client.get(f"/housing/?lang={lang}")).get_text(" ").split())
    assert residence in home
    assert housing in start and "for a minor" not in start
