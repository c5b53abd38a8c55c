"""The committed demo trust store: public certificates only, a DEMO root and intermediate that
the verifier loads (`make run` points PORTAL_ECP_TRUST_DIR at it)."""

from __future__ import annotations

from pathlib import Path

from portal.ecp import TrustStore

STORE = Path(__file__).resolve().parents[2] / "demo" / "ecp-trust"


def test_demo_store_holds_public_certificates_only():
    files = sorted(p.name for p in STORE.iterdir())
    assert files == ["intermediate.pem", "root.pem"]
    for path in STORE.iterdir():
        text = path.read_text()
        assert "PRIVATE KEY" not in text and "BEGIN CERTIFICATE" in text


def test_demo_store_loads_one_root_and_one_intermediate_marked_not_nca():
    store = TrustStore.from_directory(STORE)
    assert len(store.roots) == 1 and len(store.intermediates) == 1
    assert "NOT NCA" in store.roots[0].subject.human_friendly
