"""What a downloaded document is called: from its kind and its real type, never the name the
citizen's file had (that name may carry personal data, odd characters or a misleading
extension, and reaches the officer's disk as it is). Pure: no Flask, no database."""

from __future__ import annotations

# The types an upload may have (checked by content:
# portal.housing.services.documents.ALLOWED_TYPES).
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def download_name(kind: str, mime: str, number: int) -> str:
    """E.g. "conclusion-12.pdf": ASCII only, so every browser keeps it as it is."""
    safe_kind = "".join(c for c in kind if c.isascii() and (c.isalnum() or c in "-_")) or "document"
    return f"{safe_kind}-{number}.{EXTENSIONS.get(mime, 'bin')}"
