"""Every crawled page, in kk, ru and en, is valid HTML by the Nu HTML checker (vnu, the W3C's
validator, npm `vnu-jar`, run on Java): the citizen's journeys, the kiosk's screens and the
office's pages (tests/web/crawl.py). The checker's JVM starts once for all pages: it is slow to
start, quick per page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.page_client import is_full_page
from tests.web.crawl import citizen_groups, kiosk_groups, office_groups, with_lang
from tests.web.pages import LANGS

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
VNU_JAR = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(folder: Path) -> list[dict]:
    """The checker's errors on every .html file in `folder` (one run of the JVM)."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.fail(f"the Nu HTML checker needs Java and {VNU_JAR}: run `make test` "
                    "(npm ci fetches vnu-jar; apt-get install default-jre-headless)",
                    pytrace=False)
    run = subprocess.run(
        [java, "-Xss1m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
         "--exit-zero-always", str(folder)],
        capture_output=True, text=True, check=True, timeout=300)
    report = json.loads(run.stderr or run.stdout)
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


CRAWLS = {"citizen": citizen_groups, "kiosk": kiosk_groups,
          "office": lambda app, tmp_path: office_groups(app)}


@pytest.mark.parametrize("crawl", CRAWLS)
def test_every_crawled_page_is_valid_html_in_every_language(seeded, tmp_path, crawl):
    groups = CRAWLS[crawl](seeded, tmp_path)
    pages = tmp_path / "pages"
    pages.mkdir()
    urls = {}
    for lang in LANGS:
        for client, paths in groups:
            for path in paths:
                url = with_lang(path, lang)
                response = client.get(url)
                assert response.status_code < 500, (url, response.status_code)
                if is_full_page(response) or response.status_code in (403, 404):
                    name = pages / f"page-{len(urls):04d}.html"
                    name.write_bytes(response.get_data())
                    urls[name.name] = url
    assert len(urls) >= 3 * sum(len(paths) for _, paths in groups), len(urls)
    errors = nu_errors(pages)
    found = [f"{urls.get(Path(e.get('url', '')).name, e.get('url'))}:{e.get('lastLine')}: "
             f"{e.get('message')} [{e.get('extract', '').strip()[:80]}]" for e in errors]
    assert not found, f"{len(found)} Nu HTML checker errors:\n" + "\n".join(found[:200])


def test_the_sms_outbox_times_carry_no_microseconds(seeded, client, clock):
    """A `datetime` attribute holds at most milliseconds: the outbox's are whole seconds."""
    import re

    from tests.web.helpers import iin

    clock.set(clock.now().replace(microsecond=123456))
    client.post("/sign-in", data={"iin": iin("owner_self")})
    page = client.get("/demo/sms?lang=en").get_data(as_text=True)
    stamps = re.findall(r'datetime="([^"]+)"', page)
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\+00:00)?", s)
                          for s in stamps), stamps
