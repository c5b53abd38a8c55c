"""Walking the housing journey in the Flask test client."""

from __future__ import annotations

from tests.web.helpers import code_in, iin, last_sms, phone_of, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def new_housing_draft(client) -> str:
    response = client.post("/housing/new")
    assert response.status_code == 303, response.status_code
    return response.location.rsplit("/", 1)[0]  # /housing/<id>


def walk(client, key: str, subject: str | None = None, case: str = "no_housing",
         settlement: str | None = None, category: str = "none", consent: bool = True,
         signed_in: bool = False) -> str:
    """Sign in as `key`, answer every step; returns the draft's base URL (at the check page)."""
    if not signed_in:
        sign_in(client, key)
    base = new_housing_draft(client)
    assert client.post(f"{base}/who", data={"person": subject or iin(key)}).status_code == 303
    assert client.get(f"{base}/registries").status_code == 200
    assert client.post(f"{base}/registries").status_code == 303
    assert client.post(f"{base}/case", data={"case": case}).status_code == 303
    if case == "emergency":
        response = client.post(f"{base}/conclusion", data={"file": (_file(PDF), "c.pdf")},
                               content_type="multipart/form-data")
        assert response.status_code == 303
        assert client.post(f"{base}/conclusion", data={"continue": "1"}).status_code == 303
    page = client.get(f"{base}/settlement").get_data(as_text=True)
    if settlement is None:
        settlement = _checked(page)
    assert client.post(f"{base}/settlement", data={"settlement": settlement}).status_code == 303
    assert client.post(f"{base}/category", data={"category": category}).status_code == 303
    assert client.post(f"{base}/family", data={"action": "continue"}).status_code == 303
    assert client.post(f"{base}/contacts", data={"phone": phone_of(key), "email": "",
                                                  "sms": "y"}).status_code == 303
    if consent:
        assert client.post(f"{base}/consents", data={"personal_data": "y", "truth": "y"}
                           ).status_code == 303
    return base


def submit(client, base: str, key: str):
    assert client.post(f"{base}/send-code").status_code == 303
    code = code_in(last_sms(phone_of(key)))
    return client.post(f"{base}/submit", data={"code": code})


def _file(content: bytes):
    import io

    return io.BytesIO(content)


def _checked(page: str) -> str:
    import re

    found = re.search(r'name="settlement"[^>]*value="(\w+)"[^>]*checked|'
                      r'checked[^>]*name="settlement"[^>]*value="(\w+)"', page)
    assert found, "no settlement pre-selected"
    return found.group(1) or found.group(2)
