"""Test stand-ins for ЭЦП: a test CA, CMS signing, an OCSP responder, NCANode and NCALayer."""
