"""The kiosk speaks: each page read aloud in its own language (EN 301 549 §5.1.3: closed
functionality, where the visitor cannot bring a screen reader, gives speech output).

One source: what is spoken is read out of the page the server has just rendered, by the marks
the templates already carry (the `main` heading, field labels and legends, the `.radio` options
numbered in page order, the error summary, notices) and by `data-speak` attributes; a part
marked `data-speak-private` (a name) is spoken as its initials, and anything marked
`data-speak="off"`, hidden, or outside `main` is never spoken. The text is kept in the database
under its content address (it must be known to every app server), the audio on each server's
disk (it regenerates byte for byte from the text), so a page's audio is made once per server.

The engine is Debian's espeak-ng (Kazakh, Russian and English voices) encoded by opusenc to
Ogg Opus, which Chromium plays. Without them the portal runs as before: no Listen control.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from kiosk.models import KioskSpeech
from portal.domain.languages import ENGLISH, KAZAKH, RUSSIAN
from portal.extensions import db

log = logging.getLogger(__name__)

ESPEAK = "espeak-ng"
OPUSENC = "opusenc"
VOICES = {KAZAKH: "kk", RUSSIAN: "ru", ENGLISH: "en-gb"}  # espeak-ng voice names
WORDS_PER_MINUTE = 150  # espeak-ng's own default pace; slow enough in a noisy hall
OPUS_KBPS = 16  # speech at 16 kbit/s: clear words, 2 kB a second
# Part of every content address: a change of voice or encoding gives new URLs, so no kiosk
# keeps playing an old file from its year-long cache.
VOICE_VERSION = f"espeak-ng/{WORDS_PER_MINUTE}/opus{OPUS_KBPS}/1"
KEY_LENGTH = 32  # hex digits of SHA-256
SPEAK_MAX_CHARS = 2000  # a page's words; longer is a page nobody should have to listen to

# Code-like digit runs (an IIN, a one-time code, a phone number) are never spoken, even where a
# template forgot its mark: a safety net, not the rule.
_DIGIT_RUN = re.compile(r"\+?\d[\d \-()]{3,}\d")
# A name masked on screen ("Ә****** Б.") is spoken as its initials ("Ә. Б."), not as stars.
_MASKED_WORD = re.compile(r"(\w)\*+")


# --- The words: read out of the rendered page ------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
SKIP = {"script", "style", "template", "svg", "noscript", "button", "select", "textarea"}


class _Reader(HTMLParser):
    """Collects the spoken parts of `main`: (kind, text) in page order."""

    def __init__(self, fragment: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []  # tag, the part it opens, muted
        self.parts: list[list] = []  # [kind, words]
        self.in_main = fragment  # an htmx fragment is a piece of `main`
        self.private: list[str] | None = None
        self.private_depth = 0
        self.in_summary_title = False

    # A part opens at an element the page marks; its words are all text inside it.
    @staticmethod
    def _kind(tag: str, attrs: dict) -> str | None:
        if "data-speak" in attrs:  # a bare attribute is None to the parser
            return attrs["data-speak"] or "text"
        classes = (attrs.get("class") or "").split()
        if tag == "h1":
            return "heading"
        if "radio" in classes:
            return "option"
        if "error-summary" in classes:
            return "error"
        if tag in ("legend", "label") or "notice" in classes:
            return "question" if tag in ("legend", "label") else "text"
        return None

    def _muted(self, tag: str, attrs: dict) -> bool:
        return (tag in SKIP or "hidden" in attrs or attrs.get("aria-hidden") == "true"
                or attrs.get("data-speak") == "off")

    def handle_starttag(self, tag, attr_list):
        attrs = dict(attr_list)
        if tag == "main":
            self.in_main = True
            return
        if not self.in_main or tag in VOID:
            return
        muted = (self.stack and self.stack[-1][2]) or self._muted(tag, attrs)
        kind = None
        if not muted and not self._open_part():
            kind = self._kind(tag, attrs)
            if kind is not None:
                self.parts.append([kind, []])
        self.stack.append((tag, kind, bool(muted)))
        if "data-speak-private" in attrs and not muted:
            self.private, self.private_depth = [], len(self.stack)

    def _open_part(self) -> bool:
        return any(kind for _tag, kind, _m in self.stack)

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
            return
        if not self.in_main or tag in VOID:
            return
        while self.stack:
            open_tag, _kind, _muted = self.stack.pop()
            if self.private is not None and len(self.stack) < self.private_depth:
                initials = " ".join(w[0].upper() + "." for w in " ".join(self.private).split())
                self._words(initials)
                self.private = None
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self.in_main or (self.stack and self.stack[-1][2]):
            return
        if self.private is not None:
            self.private.append(data)
        else:
            self._words(data)

    def _words(self, text: str) -> None:
        if self._open_part() and self.parts:
            self.parts[-1][1].append(text)


def _clean(text: str) -> str:
    text = _MASKED_WORD.sub(r"\1.", text)
    text = _DIGIT_RUN.sub(lambda m: m.group(0) if len(re.sub(r"\D", "", m.group(0))) < 6
                          else "", text)
    return re.sub(r"\s+([,.:])", r"\1", re.sub(r"\s+", " ", text)).strip(" :,")


def spoken_parts(html: str, fragment: bool = False) -> list[tuple[str, str]]:
    """The page's spoken parts in reading order, options numbered as the keypad picks them."""
    reader = _Reader(fragment)
    reader.feed(html)
    reader.close()
    parts, number = [], 0
    for kind, words in reader.parts:
        text = _clean(" ".join(words))
        if not text:
            continue
        if kind == "option":
            number += 1
            text = f"{number}: {text}"
        parts.append((kind, text))
    return parts


def spoken_text(html: str, fragment: bool = False) -> str:
    """What the Listen control says for this page: its parts, one sentence each."""
    sentences = []
    for _kind, text in spoken_parts(html, fragment):
        sentences.append(text if text[-1] in ".?!" else text + ".")
    return " ".join(sentences)[:SPEAK_MAX_CHARS]


def key_of(text: str, lang: str) -> str:
    """The content address of the audio for `text` in `lang`."""
    digest = hashlib.sha256(f"{VOICE_VERSION}\0{lang}\0{text}".encode()).hexdigest()
    return digest[:KEY_LENGTH]


# --- The engine -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def engine_available() -> bool:
    """espeak-ng and opusenc are on this machine (`make speech` installs them)."""
    missing = [tool for tool in (ESPEAK, OPUSENC) if shutil.which(tool) is None]
    if missing:
        log.warning("kiosk speech is off: %s not installed (make speech)", ", ".join(missing))
        return False
    return True


def synthesise(text: str, lang: str) -> bytes:
    """Ogg Opus audio of `text` spoken by the `lang` voice. Deterministic (a fixed stream
    serial): every server makes the same bytes for the same address."""
    wav = subprocess.run(
        [ESPEAK, "-v", VOICES.get(lang, VOICES["ru"]), "-s", str(WORDS_PER_MINUTE), "--stdout",
         "--", text], check=True, capture_output=True, timeout=60).stdout
    return subprocess.run(
        [OPUSENC, "--quiet", "--speech", "--bitrate", str(OPUS_KBPS), "--serial", "1",
         "--discard-comments", "-", "-"],
        input=wav, check=True, capture_output=True, timeout=60).stdout


# --- The cache ----------------------------------------------------------------------------------

def cache_dir() -> Path:
    return Path(current_app.config["KIOSK_SPEECH_DIR"])


def audio_path(key: str) -> Path:
    return cache_dir() / f"{key}.opus"


def remember(html: str, lang: str, fragment: bool = False) -> str | None:
    """The address of this page's audio, its words kept for whichever server is asked for it;
    None when the page has nothing to say or the engine is missing."""
    if not engine_available():
        return None
    text = spoken_text(html, fragment)
    if not text:
        return None
    key = key_of(text, lang)
    if not audio_path(key).exists():
        # One statement, safe when two servers render the same page at once.
        table = KioskSpeech.__table__
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        with db.engine.begin() as connection:
            connection.execute(insert(table).values(key=key, lang=lang, text=text)
                               .on_conflict_do_nothing(index_elements=["key"]))
    return key


def audio(key: str) -> Path | None:
    """The audio file for `key`, made now if this server has not made it yet."""
    path = audio_path(key)
    if path.exists():
        return path
    if not engine_available():
        return None
    row = db.session.execute(sa.select(KioskSpeech.text, KioskSpeech.lang)
                             .where(KioskSpeech.key == key)).first()
    if row is None:
        return None
    started = time.perf_counter()
    data = synthesise(row.text, row.lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: a second request never reads half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)
    log.info("kiosk speech %s (%s, %d chars) made in %.0f ms", key, row.lang, len(row.text),
             (time.perf_counter() - started) * 1000)
    return path
