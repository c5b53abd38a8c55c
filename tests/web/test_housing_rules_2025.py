"""The housing list by the 2025 Rules to the letter: the application of Appendix 2 [002 App.2],
working time [002 App.1 row 7] and the receipt [003 p.16]."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.core.models import Application, AppStatus, SmsMessage
from portal.core.models.signing import Signature
from portal.extensions import db
from tests.web.helpers import iin, phone_of, sign_in, ward_iin
from tests.web.housing_helpers import submit, walk

pytestmark = pytest.mark.usefixtures("seeded")

SEED = Path("/work/shared/seeds/002_e479c5c22814e86c.txt")
FRIDAY_EVENING = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)  # 20:00 in Almaty
MONDAY_OPENING = dt.datetime(2026, 11, 30, 4, 0, tzinfo=dt.UTC)  # 09:00 in Almaty


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path / "uploads")


def text_of(response) -> str:
    return response.get_data(as_text=True)


def application(base: str) -> Application:
    db.session.expire_all()
    return db.session.get(Application, int(base.rsplit("/", 1)[1]))


def signed_content(base: str) -> str:
    db.session.expire_all()
    return db.session.scalars(sa.select(Signature.content).where(
        Signature.application_id == int(base.rsplit("/", 1)[1]))).one()


def one_spaced(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


# --- item 2: the application is Appendix 2 ----------------------------------------------

def test_app2_the_consents_page_is_appendix_2_not_the_repealed_form(client):
    base = walk(client, "no_housing", consent=False)
    page = one_spaced(text_of(client.get(f"{base}/consents?lang=en")))
    for expected in ("To the service provider, Otbasy bank JSC",
                     "request you to register me as a person in need of housing in the "
                     "«Housing Provision Centre» e-base",
                     "I do not object to checking whether I and my family members have",
                     "publication of data on the internet resource of Otbasy bank JSC",
                     "articles 71 and 78", "article 74 paragraph 1", "Mobile phone number:",
                     "E-mail:"):
        assert expected in page, expected
    assert "state housing fund" not in page and "local executive body" not in page


def test_app2_the_kazakh_text_signed_is_the_seeds_word_for_word(client):
    base = walk(client, "no_housing")
    client.get(f"{base}/check?lang=kk")
    assert submit(client, base, "no_housing").status_code == 303
    signed = signed_content(base)
    seed = one_spaced(SEED.read_text(encoding="utf-8"))
    for sentence in (
            "Менде және отбасы мүшелерінде Қазақстан Республикасында тұрғынжайдың бар немесе "
            "жоқ екенін тексеруге қарсы емеспін.",
            "Ақпараттық жүйелерде қамтылған заңмен қорғалатын құпияны құрайтын мәліметтерді "
            "жинауға және өңдеуге және мәліметтерді пайдалануға келісемін.",
            "тұрғынжайға мұқтаж ретінде \"Тұрғын үймен қамтамасыз ету орталығы\" электрондық "
            "базасына есепке қоюыңызды сұраймын."):
        assert sentence in seed, "the test's own sentence must be the seed's"
        assert sentence.replace('"Тұрғын', "«Тұрғын").replace('орталығы"', "орталығы»") \
            in signed
    assert "«Отбасы банк» АҚ" in signed and "71 және 78-баптарының" in signed
    assert "74-бабының 1-тармағында" in signed and iin("no_housing") in signed
    assert f"Ұялы телефон нөмірі: {phone_of('no_housing')};" in signed
    receipt = one_spaced(text_of(client.get(f"{base}/receipt?lang=kk")))
    assert "тексеруге қарсы емеспін" in receipt and iin("no_housing") in receipt


def test_app2_the_russian_text_and_the_representatives_wording(client):
    sign_in(client, "guardian")
    ward = ward_iin("guardian", "Сергей")
    base = walk(client, "guardian", subject=ward, settlement="karaganda", signed_in=True)
    client.get(f"{base}/check?lang=ru")
    assert submit(client, base, "guardian").status_code == 303
    signed = signed_content(base)
    assert "Услугодателю – АО «Отбасы банк»" in signed
    assert "являясь доверенным лицом/законным представителем" in signed
    assert "действуя от имени и в интересах" in signed and "Центр обеспечения жильём" in signed
    assert "Не возражаю против проверки наличия или отсутствия жилища" in signed
    assert iin("guardian") in signed


# --- item 7: outside working time ---------------------------------------------------------

def notices() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(SmsMessage.body).where(
        SmsMessage.purpose == "applicant_notice")))


def test_app1_row7_outside_working_time_taken_and_decided_on_the_next_working_day(
        client, clock, runner):
    clock.set(FRIDAY_EVENING)
    base = walk(client, "no_housing")
    assert submit(client, base, "no_housing").status_code == 303
    assert application(base).status == AppStatus.SUBMITTED and notices() == []
    done = one_spaced(text_of(client.get(f"{base}/done?lang=en")))
    assert "outside the service provider's working hours" in done
    assert "Monday, November 30, 2026" in done
    receipt = one_spaced(text_of(client.get(f"{base}/receipt?lang=en")))
    # Written out, never "11/27/26" (issue #21).
    assert "Submitted at" in receipt and "27 November 2026" in receipt
    assert "Counts from the working day" in receipt and "Monday, November 30, 2026" in receipt
    clock.set(FRIDAY_EVENING + dt.timedelta(days=1))  # Saturday: still waiting
    assert "housing applications decided: 0" in runner.invoke(args=["jobs", "run"]).output
    assert application(base).status == AppStatus.SUBMITTED
    clock.set(MONDAY_OPENING)
    assert "housing applications decided: 1" in runner.invoke(args=["jobs", "run"]).output
    assert application(base).status == AppStatus.IN_QUEUE
    assert len(notices()) == 1
    assert "housing applications decided: 0" in runner.invoke(args=["jobs", "run"]).output


def test_app1_rows6_7_the_start_page_tells_the_hours_the_cost_and_the_lines(client):
    page = one_spaced(text_of(client.get("/housing/?lang=en")))
    for expected in ("The service is free.", "from 9:00 to 18:30", "from 13:00 to 14:30",
                     "next working day", "1414", "8-800-080-7777"):
        assert expected in page, expected


# --- item 11: the receipt ------------------------------------------------------------------

def test_003_p16_the_receipt_has_every_field(client):
    base = walk(client, "emergency", case="emergency")
    assert submit(client, base, "emergency").status_code == 303
    page = one_spaced(text_of(client.get(f"{base}/receipt?lang=en")))
    for expected in (application(base).number, "Joining the housing waiting list",
                     "Submitted at", "Attached documents", "2: Application (Appendix 2 to the "
                     "Rules); c.pdf", "Date, time and place of the result", "by 18:30",
                     "in your personal account on the portal and by SMS", "Accepted by",
                     "the Mekenjai portal", phone_of("emergency")):
        assert expected in page, expected


def test_003_p16_the_receipt_names_the_representative_and_their_phone(client):
    sign_in(client, "guardian")
    ward = ward_iin("guardian", "Сергей")
    base = walk(client, "guardian", subject=ward, settlement="karaganda", signed_in=True)
    assert submit(client, base, "guardian").status_code == 303
    page = one_spaced(text_of(client.get(f"{base}/receipt?lang=en")))
    assert "Representative" in page and "Applicant (the represented person)" in page
    assert phone_of("guardian") in page
    assert re.search(r"Сергей", page)


def test_003_p16_the_kiosk_receipt_has_the_same_fields(seeded, client, runner):
    from tests.web.test_kiosk import enrol

    device = enrol(client, runner)
    base = walk(client, "no_housing")
    assert submit(client, base, "no_housing").status_code == 303
    page = one_spaced(text_of(client.get(
        f"/kiosk/receipt/{application(base).id}?lang=en")))
    for expected in ("Submitted at", "Counts from the working day", "Attached documents",
                     "Date, time and place of the result", f"the kiosk {device.id}",
                     "Applicant"):
        assert expected in page, expected
    # The paper is handed to the applicant: their full name and phone, as p.16 lists them.
    assert "Әлімжанова Айжан" in page and "Ә**** А." not in page


# --- item 13: the official terms (GLOSSARY.md) ------------------------------------------

def test_glossary_the_official_terms_on_the_housing_pages_and_sms(client):
    from portal.core.models import AppStatus as S
    from portal.housing.services import housing_sms

    values = {"number": "H-1", "link": "L", "date": "1 Dec", "time": "10:00", "way": "online"}
    text = housing_sms.DECISIONS[S.PRELIMINARY_REFUSAL]
    assert "бас тарту туралы алдын ала шешім" in text.render("kk", **values)
    assert "предварительное решение об отказе" in text.render("ru", **values)
    base = walk(client, "no_housing")
    check = text_of(client.get(f"{base}/check?lang=kk"))
    assert 'Өзгерту<span class="vh">: жағдай</span>' in check
    assert 'Өзгерту<span class="vh">: елді мекен</span>' in check
    assert submit(client, base, "no_housing").status_code == 303
    assert "Кезектің реттік нөмірі" in text_of(client.get(f"{base}/done?lang=kk"))
    assert "Порядковый номер очереди" in text_of(client.get(f"{base}/done?lang=ru"))
    # A decision to complain about: a preliminary refusal (ground 2).
    base = walk(client, "sold_recently", settlement="astana")
    assert submit(client, base, "sold_recently").status_code == 303
    complaint = one_spaced(text_of(client.get(f"{base}/complaint?lang=ru")))
    assert "по оценке и контролю за качеством оказания государственных услуг" in complaint
    complaint_kk = one_spaced(text_of(client.get(f"{base}/complaint?lang=kk")))
    assert "сапасын бағалау және бақылау жөніндегі уәкілетті орган" in complaint_kk
    start = text_of(client.get("/housing/?lang=ru"))
    assert "учёт" in start and "учет" not in start


def test_glossary_preliminary_refusal_status_in_the_official_words(client):
    base = walk(client, "sold_recently", settlement="astana")
    assert submit(client, base, "sold_recently").status_code == 303
    assert "Бас тарту туралы алдын ала шешім" in text_of(client.get(f"{base}/done?lang=kk"))
    assert "Предварительное решение об отказе" in text_of(client.get(f"{base}/done?lang=ru"))
