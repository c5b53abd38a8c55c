"""Without a trust store ЭЦП is off: no pages, no link, no NCALayer in the CSP; the settings are
read from the environment."""

from __future__ import annotations

from portal.ecp import setup as ecp_setup


def test_ecp_off_without_a_trust_dir(seeded, client):
    assert seeded.extensions["ecp_verifier"] is None
    page = client.get("/sign-in")
    assert "/sign-in/ecp" not in page.get_data(as_text=True)
    assert "connect-src" not in page.headers["Content-Security-Policy"]
    assert "13579" not in page.headers["Content-Security-Policy"]
    assert client.get("/sign-in/ecp").status_code == 404
    assert client.get("/applications/1/ecp").status_code in (302, 404)  # sign-in first


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORTAL_ECP_TRUST_DIR", "demo/ecp-trust")
    monkeypatch.setenv("PORTAL_ECP_OCSP", "on")
    monkeypatch.setenv("PORTAL_NCANODE_URL", " ")
    found = ecp_setup.from_environment()
    assert found == {"ECP_TRUST_DIR": "demo/ecp-trust", "ECP_OCSP": "on"}
    verifier = ecp_setup.build(found)
    assert verifier is not None and verifier.inner.gost is None
    assert ecp_setup.build({}) is None
