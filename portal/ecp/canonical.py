"""The canonical, human-readable text of what a citizen signs (pure: no Flask, no database).

The text names the service, the application's number (or draft id) and a one-time server nonce,
then the same (label, value) lines the check-your-answers page shows, in the citizen's language.
A signature therefore cannot be moved to another application, nor replayed: the number and the
nonce are inside the signed bytes. Deterministic: Unicode NFC, "\\n" newlines, no trailing
spaces, a value's own line breaks indented so no value can forge a line or the separator.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

PORTAL_NAME = "Mekenjai"
SEPARATOR = "----"

# Fixed words of the signed text. They live here, not in the .po catalogues: a catalogue fix must
# never change what an already stored signature is a signature of. kk/ru per GLOSSARY.md and the
# catalogues' "Application number".
_WORDS = {
    "kk": {"number": "Өтінім нөмірі", "nonce": "Бір реттік код", "iin": "ЖСН"},
    "ru": {"number": "Номер заявления", "nonce": "Одноразовый код", "iin": "ИИН"},
    "en": {"number": "Application number", "nonce": "One-time code", "iin": "IIN"},
}
LANGUAGES = tuple(_WORDS)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Control characters (other than the newline) could hide text from the reader.
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def _one_line(text: str) -> str:
    return " ".join(_clean(text).split())


def _line(label: str, value: str) -> str:
    first, *rest = _clean(value).split("\n") or [""]
    # A line without a label is a paragraph of a form signed as its own text (Appendix 2).
    head = (f"{_one_line(label)}: {first.strip()}" if _one_line(label) else first.strip()).rstrip()
    return "\n".join([head, *(f"  {part.strip()}".rstrip() for part in rest)])


def canonical_text(
    *,
    service: str,
    reference: str,
    nonce: str,
    lines: Sequence[tuple[str, str]],
    language: str,
) -> str:
    """The signed text. `reference` is the application number or draft id; `lines` are the
    ordered (label, value) pairs shown to the citizen, already in `language`."""
    if language not in _WORDS:
        raise ValueError(f"unsupported language {language!r}")
    if not _one_line(reference) or not _one_line(nonce):
        raise ValueError("reference and nonce must not be empty")
    words = _WORDS[language]
    out = [
        PORTAL_NAME,
        _one_line(service),
        _line(words["number"], reference),
        SEPARATOR,
        *(_line(label, value) for label, value in lines),
        SEPARATOR,
        _line(words["nonce"], nonce),
    ]
    return "\n".join(out) + "\n"


def canonical_bytes(**kwargs) -> bytes:
    """`canonical_text(...)` encoded as UTF-8: the exact bytes NCALayer signs."""
    return canonical_text(**kwargs).encode("utf-8")


def sign_in_text(*, service: str, nonce: str, language: str) -> str:
    """What a citizen signs with the AUTHENTICATION key to sign in: the nonce is the reference."""
    return canonical_text(
        service=service, reference=nonce, nonce=nonce, lines=(), language=language
    )
