"""The applicant's SMS go in the language of the page they asked from: the route hands that
language to the use case (services read no request). Sign-in codes stay in kk and ru."""

from __future__ import annotations

from tests.web.helpers import code_in, fill_draft, iin, last_sms, phone_of, sign_in
from tests.web.housing_helpers import walk


def test_the_residence_codes_and_result_sms_follow_the_page_the_applicant_submitted_from(
        seeded, client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    assert client.post(f"{base}/sign?lang=ru").status_code == 303
    signing = last_sms(phone_of("owner_self")).body
    assert "заявления" in signing and " / " not in signing
    response = client.post(f"{base}/submit?lang=ru", data={"code": code_in(last_sms(
        phone_of("owner_self")))})
    assert response.status_code == 303 and response.location.endswith(f"{base}/done")
    result = last_sms(phone_of("owner_self")).body
    assert "регистрация выполнена" in result, result
    assert " / " not in result


def test_the_housing_codes_and_decision_sms_follow_the_page_the_applicant_submitted_from(
        seeded, client):
    base = walk(client, "no_housing")
    assert client.post(f"{base}/send-code?lang=ru").status_code == 303
    signing = last_sms(phone_of("no_housing")).body
    assert "заявления" in signing and " / " not in signing
    response = client.post(f"{base}/submit?lang=ru",
                           data={"code": code_in(last_sms(phone_of("no_housing")))})
    assert response.status_code == 303 and response.location.endswith(f"{base}/done")
    decision = last_sms(phone_of("no_housing")).body
    assert "заявление H-" in decision and " / " not in decision
