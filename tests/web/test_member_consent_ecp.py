"""A list member signs the consent to personal data processing with ЭЦП beside the SMS code
(issue 22: "signed (SMS code or ЭЦП)"; portal.housing.services.member.give_consent_with_ecp),
against a test NCA made here (tests/support_ecp/pki.py, never the demo store).

The member's own key signs the consent's sentence in the canonical form with a single-use nonce;
the effects are the SMS code's (one _consent): the consent recorded, a consent suspension lifted
at once, the notice, the history. Another person's key, another text, a spent nonce: refused,
nothing changed."""

from __future__ import annotations

import base64
import re

import pytest
import sqlalchemy as sa

from portal.core.models import Application, QueueEntry, Signature, SmsMessage
from portal.extensions import db
from portal.housing.services import housing_queue, member
from tests.support.threads import clone, run_together
from tests.support_ecp.pki import FakeNca, make_cms
from tests.web.helpers import iin, sign_in

pytestmark = pytest.mark.usefixtures("seeded", "members")

KEY = "akimat_member"  # suspended: the consent is missing


@pytest.fixture(scope="module")
def pki() -> FakeNca:
    from tests.conftest import START

    return FakeNca(now=START)


@pytest.fixture
def app_config(app_config, pki, tmp_path):
    app_config["ECP_TRUST_DIR"] = str(pki.write_trust_dir(tmp_path / "trust"))
    return app_config


@pytest.fixture
def members(seeded):
    from demo_registries.members import seed_members

    assert seed_members() == 3


def application_of(key: str = KEY) -> Application:
    db.session.expire_all()
    return db.session.scalars(sa.select(Application).where(
        Application.applicant_iin == iin(key), Application.channel == "akimat")).one()


def entry_of(key: str = KEY) -> QueueEntry:
    return housing_queue.entry_of(application_of(key))


def consent_page(client, lang: str = "en") -> tuple[str, str]:
    """Signed in, "Give the consent" pressed: the consent's page and its URL."""
    sign_in(client, KEY)
    url = f"/housing/{application_of().id}/member"
    assert client.post(f"{url}/consent/send").status_code == 303
    response = client.get(f"{url}/consent?lang={lang}")
    assert response.status_code == 200
    return url, response.get_data(as_text=True)


def offered(html: str) -> tuple[str, str, str]:
    """(nonce, language, the text to sign) from the page's NCALayer form."""
    text = base64.b64decode(re.search(r'data-ecp-text-b64="([^"]+)"', html).group(1)).decode()
    nonce = re.search(r'name="nonce" value="([^"]+)"', html).group(1)
    lang = re.search(r'name="lang" value="([^"]+)"', html).group(1)
    return nonce, lang, text


def post_cms(client, url, nonce, lang, cms):
    return client.post(f"{url}/consent/ecp", data={"nonce": nonce, "lang": lang, "cms": cms})


def cms_over(pki, clock, text: str, key: str = KEY) -> str:
    return make_cms(text.encode(), pki.citizen(iin(key)), signing_time=clock.now())


def nothing_changed() -> None:
    application = application_of()
    assert not application.data.get("personal_data_consent")
    assert entry_of().status == "suspended" and consent_signatures() == []


def consent_signatures() -> list[Signature]:
    return [s for s in application_of().signatures if s.purpose.startswith("pd_consent")]


def test_the_consent_page_offers_ecp_beside_the_sms_code_and_sms_only_without_javascript(
        client):
    _, page = consent_page(client)
    assert 'name="code"' in page and "data-ecp-sign" in page
    assert "Without JavaScript, use the code from the SMS." in page  # <noscript>
    nonce, lang, text = offered(page)
    assert lang == "en" and nonce in text and application_of().number in text
    assert "Consent to personal data processing: I, " in text  # the code's sentence, signed
    assert f"(IIN {iin(KEY)})" in text and "consent to Otbasy bank" in text


def test_the_consent_signed_with_ecp_makes_the_entry_active_at_once_as_the_code_does(
        client, pki, clock):
    url, page = consent_page(client)
    nonce, lang, text = offered(page)
    before = db.session.scalar(sa.select(sa.func.count(SmsMessage.id)))
    cms = cms_over(pki, clock, text)
    response = post_cms(client, url, nonce, lang, cms)
    assert response.status_code == 303 and response.location.endswith(url)
    application = application_of()
    assert application.data["personal_data_consent"] is True
    assert entry_of().status == "active" and application.data["entry_state"]["move"] == "restore"
    [signature] = consent_signatures()
    assert (signature.purpose, signature.method, signature.signer_iin) == (
        "pd_consent_1", "ecp", iin(KEY))
    assert signature.cms == cms and signature.content == text and signature.certificate_serial
    assert application.data["consents"][-1]["signature_id"] == signature.id
    notices = db.session.scalars(sa.select(SmsMessage).order_by(SmsMessage.id)
                                 .offset(before)).all()
    assert any(application.number in s.body and s.phone == "+77470001122" for s in notices)
    assert member.history_of(entry_of())[-1].status == "active"
    page = client.get(f"{url}?lang=en").get_data(as_text=True)
    assert "Your consent is signed. Your place in the list is active again." in page


def test_a_consent_signed_with_another_persons_ecp_is_refused_and_changes_nothing(
        client, pki, clock):
    url, page = consent_page(client)
    nonce, lang, text = offered(page)
    response = post_cms(client, url, nonce, lang, cms_over(pki, clock, text, "single_owner"))
    assert response.status_code == 422
    assert "This ЭЦП belongs to another person. Sign with your own ЭЦП." in response.get_data(
        as_text=True)
    nothing_changed()
    # the nonce was not spent on a refused signature: the member's own key still signs
    assert post_cms(client, url, nonce, lang, cms_over(pki, clock, text)).status_code == 303


def test_a_consent_over_another_text_is_refused_and_changes_nothing(client, pki, clock):
    url, page = consent_page(client)
    nonce, lang, text = offered(page)
    other = text.replace("consent to Otbasy bank", "consent to anybody")
    assert other != text
    response = post_cms(client, url, nonce, lang, cms_over(pki, clock, other))
    assert response.status_code == 422
    assert "The signed text is not the text of this application." in response.get_data(
        as_text=True)
    nothing_changed()


def test_a_consent_in_another_language_than_the_page_showed_is_refused(client, pki, clock):
    url, page = consent_page(client, lang="ru")
    nonce, _lang, text = offered(page)
    response = post_cms(client, url, nonce, "en", cms_over(pki, clock, text))
    assert response.status_code == 422
    nothing_changed()


def test_a_consent_nonce_is_used_once(client, pki, clock):
    url, page = consent_page(client)
    nonce, lang, text = offered(page)
    cms = cms_over(pki, clock, text)
    assert post_cms(client, url, nonce, lang, cms).status_code == 303
    again = post_cms(client, url, nonce, lang, cms)  # the back button: already signed
    assert again.status_code == 303
    assert "Your consent is already signed." in client.get(f"{url}?lang=en").get_data(
        as_text=True)
    assert len(consent_signatures()) == 1
    # withdrawn, then the captured CMS replayed: refused, the consent stays withdrawn
    assert client.post(f"{url}/consent/withdraw").status_code == 303
    replay = post_cms(client, url, nonce, lang, cms)
    assert replay.status_code == 422
    assert "This signing page has expired" in replay.get_data(as_text=True)
    assert application_of().data["personal_data_consent"] is False
    assert entry_of().status == "suspended" and len(consent_signatures()) == 1


def test_a_malformed_or_empty_cms_is_refused_with_a_message(client):
    url, page = consent_page(client)
    nonce, lang, _text = offered(page)
    for cms in ("", "%%%", base64.b64encode(b"not a cms").decode()):
        response = post_cms(client, url, nonce, lang, cms)
        assert response.status_code == 422
        assert "NCALayer did not return a signature we could read" in response.get_data(
            as_text=True)
    nothing_changed()


def test_parallel_ecp_consents_give_one_consent(app, client, pki, clock):
    """Six tabs post the same signed consent at once: one consent, one signature, one move."""
    url, page = consent_page(client)
    nonce, lang, text = offered(page)
    cms = cms_over(pki, clock, text)
    tabs = [clone(app, client) for _ in range(6)]
    codes = run_together(6, lambda i: post_cms(tabs[i], url, nonce, lang, cms).status_code)
    assert 303 in codes and set(codes) <= {303, 422}  # 422: the nonce spent by the winner
    application = application_of()
    assert application.data["personal_data_consent"] is True and entry_of().status == "active"
    assert len(consent_signatures()) == 1 and len(application.data["consents"]) == 1
    assert [m["move"] for m in application.data["entry_history"]].count("restore") == 1


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_consent_page_with_ecp_in_every_language(client, lang):
    from tests.web.pages import check_page

    url, _ = consent_page(client, lang)
    check_page(client.get(f"{url}/consent?lang={lang}"), lang)
    assert "data-ecp-sign" in client.get(f"{url}/consent?lang={lang}").get_data(as_text=True)
