"""Every absolute link the portal gives out (SMS, QR codes, receipts, the kiosk's enrolment
link) is built one way: portal.core.services.notices.public_url_for, from PUBLIC_URL and the
URL map. None is glued together from PUBLIC_URL and a path by hand."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GLUED = re.compile(r"PUBLIC_URL['\"]\]\s*\+|\bpublic_url\(|f['\"]https?://\{")


def test_no_link_is_glued_from_public_url_and_a_path():
    found = [f"{path.relative_to(ROOT)}:{number}"
             for folder in ("portal", "kiosk", "templates")
             for path in sorted((ROOT / folder).rglob("*"))
             if path.suffix in (".py", ".html")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if GLUED.search(line)]
    assert found == []


def test_the_kiosk_enrolment_link_is_on_the_public_address(app):
    """The CLI has no request: the link still comes from the URL map, on PUBLIC_URL."""

    result = app.test_cli_runner().invoke(args=["kiosk", "add", "ЦОН Алматы №1"])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith(app.config["PUBLIC_URL"] + "/kiosk/")
