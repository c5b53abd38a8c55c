"""Kiosk speech (kiosk/speech.py): what a page's audio costs. Every kiosk page of a residence
journey (with its error versions) in kk, ru and en is drawn at an enrolled kiosk; each page's
words are then synthesised uncached (espeak-ng | opusenc) and the cache's size is summed.

    .venv/bin/python bench/kiosk_speech.py      (make bench-speech)
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

from demo_registries.seed import DEMO_PEOPLE, seed_demo  # noqa: E402
from kiosk import devices, speech  # noqa: E402
from kiosk.models import KioskSpeech  # noqa: E402
from portal import create_app  # noqa: E402
from portal.core.models import SmsMessage  # noqa: E402
from portal.extensions import db  # noqa: E402


def main() -> int:
    if not speech.engine_available():
        print("espeak-ng / opusenc missing: make speech")
        return 1
    tmp = tempfile.mkdtemp()
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DEMO_MODE": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "KIOSK_SPEECH_DIR": f"{tmp}/speech"})
    person = next(p for p in DEMO_PEOPLE if p["key"] == "owner_self")
    with app.app_context():
        db.create_all()
        seed_demo()
        token = devices.add("bench kiosk")[1]

    def newest_code() -> str:
        with app.app_context():
            body = db.session.query(SmsMessage).order_by(SmsMessage.id.desc()).first().body
            return re.search(r"\d{6}", body).group(0)

    pages = 0
    client = app.test_client()  # one kiosk; Finish ends each visit (and its language)
    client.post(f"/kiosk/enrol/{token}")
    for lang in ("kk", "ru", "en"):
        client.get(f"/kiosk/services?lang={lang}")
        client.post("/kiosk/status", data={"number": "", "iin": ""})
        client.post("/sign-in", data={"iin": person["iin"]})
        client.post("/sign-in/code", data={"code": newest_code()})
        base = client.post("/residence/new").location.rsplit("/", 1)[0]
        walk = [("get", "/kiosk/services", None), ("get", "/sign-in", None),
                ("get", f"{base}/who", None), ("post", f"{base}/who", {}),
                ("post", f"{base}/who", {"person": person["iin"]}),
                ("get", f"{base}/address", None), ("get", f"{base}/address?q=Абай 150", None),
                ("post", f"{base}/address?q=Абай 150 12", {"address_id": _flat(app)}),
                ("get", f"{base}/path", None), ("post", f"{base}/path", {}),
                ("get", f"{base}/reason", None), ("post", f"{base}/reason", {}),
                ("post", f"{base}/reason", {"reason": "moved"}),
                ("get", f"{base}/check", None)]
        for method, url, data in walk:
            getattr(client, method)(url, data=data)
            pages += 1
        client.post("/kiosk/finish")
    with app.app_context():
        rows = db.session.execute(sa.select(KioskSpeech.lang, KioskSpeech.text)).all()
    times, sizes = {}, {}
    for lang, text in rows:
        started = time.perf_counter()
        audio = speech.synthesise(text, lang)
        times.setdefault(lang, []).append(time.perf_counter() - started)
        sizes.setdefault(lang, []).append((len(text), len(audio)))
    print(f"{pages} page views, {len(rows)} distinct spoken pages "
          f"(espeak-ng {speech.VOICE_VERSION})")
    print(f"{'lang':<6}{'pages':>6}{'chars avg':>11}{'synth ms median':>17}{'max':>7}"
          f"{'audio KB avg':>14}{'cache KB':>10}")
    total = 0
    for lang in ("kk", "ru", "en"):
        chars = [c for c, _ in sizes[lang]]
        audio = [a for _, a in sizes[lang]]
        total += sum(audio)
        print(f"{lang:<6}{len(audio):>6}{statistics.mean(chars):>11.0f}"
              f"{statistics.median(times[lang]) * 1000:>17.0f}{max(times[lang]) * 1000:>7.0f}"
              f"{statistics.mean(audio) / 1024:>14.1f}{sum(audio) / 1024:>10.1f}")
    print(f"cache for all kiosk pages in three languages: {total / 1024:.0f} KB")
    return 0


def _flat(app) -> int:
    with app.app_context():
        from portal.core.registries import registries

        return registries().search_addresses("Абай 150 12")[0].id


if __name__ == "__main__":
    sys.exit(main())
