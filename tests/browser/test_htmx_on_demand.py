"""Issue #24: htmx (17 KB gzipped, more than a first visit's 14.6 KB) is not part of the first
load of the citizen pages that use it. static/js/htmx-on-demand.js fetches it on the first
intent on an htmx element (the address search, the family list) and the live update still
happens, typing done before htmx arrived included. (The status page that polls while owners
answer: tests/browser/test_residence_journey.py::test_the_countdown_polls_while_waiting.)"""

from __future__ import annotations

from urllib.parse import unquote

from demo_registries.seed import DEMO_PEOPLE
from tests.browser.test_residence_journey import sign_in, walk_to_address

PEOPLE = {p["key"]: p for p in DEMO_PEOPLE}
HTMX = "/static/htmx.min.js"


def _requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def _to_the_address_step(page, outbox) -> None:
    page.goto("/?lang=en")
    sign_in(page, outbox, PEOPLE["one_owner_applicant"])
    walk_to_address(page)
    page.wait_for_load_state("networkidle")


def _navigations(page) -> list[str]:
    """Pages loaded from here on (not htmx's requests nor its pushState of the address)."""
    done: list[str] = []
    page.on("request", lambda request: done.append(request.url)
            if request.resource_type == "document" else None)
    return done


def test_the_address_step_fetches_htmx_only_when_typed_in(new_context, watch_console):
    context = new_context(locale="en-GB")
    page, outbox = context.new_page(), context.new_page()
    problems = watch_console(page)
    _to_the_address_step(page, outbox)
    page.reload()  # a first load of the address step itself, counted from here
    seen = _requests(page)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert not [u for u in seen if u.endswith(HTMX)]
    assert page.evaluate("() => typeof window.htmx") == "undefined"

    navigations = _navigations(page)
    page.locator("#q").press_sequentially("Төле би 59", delay=40)
    page.locator("#results input[name=address_id]").first.wait_for()
    assert [u for u in seen if u.endswith(HTMX)]
    assert unquote(page.url).endswith("/address?q=Төле би 59")  # htmx pushed the address
    assert navigations == []  # the results came without a page load
    assert problems == []


def test_typing_before_htmx_arrives_still_gets_the_results(new_context, watch_console):
    """htmx is held back until the whole query is typed: its `input changed` trigger never
    saw that typing, and the results come all the same (the field's `search` is fired)."""
    context = new_context(locale="en-GB")
    page, outbox = context.new_page(), context.new_page()
    problems = watch_console(page)
    _to_the_address_step(page, outbox)
    page.reload()
    page.wait_for_load_state("networkidle")
    held = []
    page.route(f"**{HTMX}", lambda route: held.append(route))
    navigations = _navigations(page)
    page.locator("#q").press_sequentially("Төле би 59", delay=20)
    page.wait_for_timeout(600)  # more than the trigger's 300 ms delay
    assert len(held) == 1 and page.locator("#results input[name=address_id]").count() == 0
    held[0].continue_()
    page.locator("#results input[name=address_id]").first.wait_for()
    assert page.locator("#q").input_value() == "Төле би 59"
    assert navigations == []
    assert problems == []


def test_the_family_step_fetches_htmx_on_focus_and_removes_in_place(new_context,
                                                                   watch_console):
    context = new_context(locale="en-GB")
    page, outbox = context.new_page(), context.new_page()
    problems = watch_console(page)
    page.goto("/?lang=en")
    sign_in(page, outbox, PEOPLE["large_family"])
    page.goto("/housing/")
    page.locator('main form[action$="/housing/new"] button').click()
    page.wait_for_url("**/who")
    page.locator("#person input[type=radio]").first.check()
    page.locator("main form button.button").last.click()
    page.wait_for_url("**/registries")
    page.locator("main form button.button").last.click()
    page.wait_for_url("**/case")
    page.locator("#case input[value=no_housing]").check()
    page.locator("main form button.button").last.click()
    page.wait_for_url("**/settlement")
    page.locator("main form button.button").last.click()
    page.wait_for_url("**/category")
    page.locator("#category input[value=large_families]").check()
    seen = _requests(page)
    page.locator("main form button.button").last.click()
    page.wait_for_url("**/family")
    page.wait_for_load_state("networkidle")
    assert not [u for u in seen if u.endswith(HTMX)]

    rows = page.locator("#family ul.rows li").count()
    assert rows > 0
    navigations = _navigations(page)
    page.locator("#iin").focus()  # intent: htmx comes
    page.wait_for_function("() => window.htmx !== undefined")
    page.locator("#family ul.rows li button").first.click()
    page.wait_for_function(f"() => document.querySelectorAll('#family ul.rows li').length"
                           f" === {rows - 1}")
    assert navigations == []  # removed in place, by htmx
    assert problems == []
