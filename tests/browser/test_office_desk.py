"""The office at a desk, 1366×768, JavaScript off, in kk, ru and en (issue 21, "Office"): the
work list and an application use the screen's width (no 575 px column), nothing scrolls
sideways, a date or number cell never wraps (its text is measured: one line box), the work
list names the applicant and flags the objection, axe finds nothing; screenshots kept."""

from __future__ import annotations

import pytest

from tests.browser.test_hearing_scheduled import (
    PDF,
    _citizen_signs_in,
    _emergency_case,
    _refuse_preliminarily,
    _staff_signs_in,
)

DESK = {"width": 1366, "height": 768}

# Every element of the selector whose text runs on more than one line, with its text.
WRAPPED = """(selector) => [...document.querySelectorAll(selector)].filter(el => {
  const tops = new Set(), walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    const range = document.createRange(); range.selectNodeContents(node);
    for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.bottom));
  }
  return tops.size > 1;  // the text's line boxes: more than one bottom is a wrapped line
}).map(el => el.innerText)"""
WIDTHS = """() => ({page: document.documentElement.scrollWidth,
                   screen: document.documentElement.clientWidth,
                   main: document.querySelector('main').getBoundingClientRect().width})"""


@pytest.fixture
def live_app_config(live_app_config, tmp_path):
    return {**live_app_config, "HOUSING_UPLOAD_DIR": str(tmp_path / "uploads")}


def _check(page, label, assert_accessible, screenshot):
    widths = page.evaluate(WIDTHS)
    assert widths["page"] <= widths["screen"], (label, widths)
    assert widths["main"] > 1000, (label, widths)  # the desk's width, not a phone column
    assert page.evaluate(WRAPPED, "td.date, td.num, .office dd.date") == [], label
    screenshot(page, f"office-desk-{label}")
    assert_accessible(page, label)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_work_list_and_an_application_at_a_desk(new_context, live_app, live_clock, lang,
                                                    assert_accessible, screenshot, tmp_path):
    app_id, citizen_iin, phone = _emergency_case(live_app, live_clock)
    officer = _staff_signs_in(new_context(locale="en-GB", java_script_enabled=False,
                                          viewport=DESK), live_clock)
    _refuse_preliminarily(officer, app_id, "2026-12-18", "11:30")
    citizen = _citizen_signs_in(new_context(locale="kk-KZ", java_script_enabled=False),
                                citizen_iin, phone)
    upload = tmp_path / "original.pdf"
    upload.write_bytes(PDF)
    citizen.goto(f"/housing/{app_id}/objection?lang=kk")
    citizen.fill("#text", "Қорытындыға сарапшы қол қойған.")
    citizen.set_input_files("#file", str(upload))
    citizen.locator('main form button.button').click()
    citizen.wait_for_url(f"**/housing/{app_id}/done**")

    officer.goto(f"/office/?lang={lang}")
    with live_app.app_context():
        from portal.core.models import Application
        from portal.extensions import db
        name = db.session.get(Application, app_id).data["applicant_name"]
        db.session.remove()
    row = officer.locator("table.work-list tr", has=officer.locator(
        f'a[href$="/office/applications/{app_id}"]')).first
    assert name in row.inner_text()
    assert row.locator(".tag.objected").count() == 1
    _check(officer, f"work-list-{lang}", assert_accessible, screenshot)

    officer.goto(f"/office/applications/{app_id}?lang={lang}")
    assert "2026-12" not in officer.locator("main").inner_text()
    _check(officer, f"application-{lang}", assert_accessible, screenshot)

    # The measure itself: a date cell squeezed to a sliver is found wrapped.
    officer.goto(f"/office/?lang={lang}")
    officer.evaluate("""() => document.querySelectorAll('td.date').forEach(td => {
      td.style.whiteSpace = 'normal'; td.style.width = td.style.maxWidth = '1px'; })""")
    assert officer.evaluate(WRAPPED, "td.date")
