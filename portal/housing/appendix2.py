"""The application form of Appendix 2 to the Rules (Order No. 130 of 17.04.2025), filled in, in
the applicant's language: what the consents page shows, what is signed (SMS code and ЭЦП) and
what the receipt repeats.

The words live here, not in the .po catalogues: a catalogue fix must never change what an
already stored signature is a signature of (as portal/ecp/canonical.py's fixed words). Kazakh is
the seed's text of Appendix 2 [002] word for word (two references the seed's extraction had
moved out of place put back: "74-бабының 1-тармағында", "71 және 78-баптарының"); English is a
faithful translation. Russian: the official Russian text of Appendix 2 was NOT found (searched
2026-12-02 for it on adilet.zan.kz and elsewhere: "Правила постановки на учет нуждающихся в
жилище 2025 приложение 2 заявление Отбасы банк", "Об утверждении Правил постановки на учет
граждан Республики Казахстан, нуждающихся в жилище приказ 130", the form's own sentences); the
Russian here is our translation of the Kazakh seed in the Glossary's terms, not compared word by
word with an official text. The one official Russian wording found, zakon.kz of 06.02.2026
(https://www.zakon.kz/pravo/6507024-izmenilis-pravila-postanovki-na-uchet-nuzhdayushchikhsya-v-
zhile.html, on the amending order of 30.01.2026), names the base «Центр обеспечения жилищем»
where ours (and GLOSSARY.md) says «Центр обеспечения жильём»: left as it is, since a change here
changes what is signed; [lead] to decide with the official text. The form is
addressed to the service provider, Otbasy bank [002 p.3 sub 3, App.1 row 1], the addressee the
form's «Сізден» (you) means.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.domain.people import Person

_TEXT = {
    "kk": {
        "title": "«Тұрғын үймен қамтамасыз ету орталығы» электрондық базасына есепке қоюға "
                 "өтініш",
        "to": "Көрсетілетін қызметті берушіге – «Отбасы банк» АҚ",
        "self": "Осы арқылы мен, {applicant}, Сізден мені тұрғынжайға мұқтаж ретінде «Тұрғын "
                "үймен қамтамасыз ету орталығы» электрондық базасына есепке қоюыңызды сұраймын.",
        "for": "Осы арқылы мен, {applicant}, сенім білдірілген тұлға/заңды өкіл бола отырып, "
               "сондай ақ {subject} атынан және мүддесі үшін әрекет ету мақсатында Сізден "
               "{subject} тұрғынжайға мұқтаж ретінде «Тұрғын үймен қамтамасыз ету орталығы» "
               "электрондық базасына есепке қоюыңызды сұраймын.",
        "check": "Менде және отбасы мүшелерінде Қазақстан Республикасында тұрғынжайдың бар "
                 "немесе жоқ екенін тексеруге қарсы емеспін.",
        "consent": "Ақпараттық жүйелерде қамтылған заңмен қорғалатын құпияны құрайтын "
                   "мәліметтерді жинауға және өңдеуге және мәліметтерді пайдалануға келісемін. "
                   "«Тұрғын үй қатынастары туралы» Қазақстан Республикасы Заңының 71 және "
                   "78-баптарының талаптарына сәйкес «Отбасы банк» АҚ интернет-ресурсында "
                   "деректерді жариялауға келісемін.",
        "categories": "Мемлекеттік дерекқорларда растайтын мәліметтер болмаған жағдайда хабардар "
                      "етілді және Заңның 74-бабының 1-тармағында айқындалған тұлғаларға "
                      "тиесілілігі жоқ тұрғынжайға мұқтаждарды есепке қоюмен келісемін.",
        "phone": "Ұялы телефон нөмірі: {phone};",
        "email": "Электрондық пошта: {email}.",
        "born": "туған күні", "document": "жеке басын куәландыратын құжат", "iin": "ЖСН",
        "address": "тұратын (тіркелген) мекенжайы",
    },
    "ru": {
        "title": "Заявление на постановку на учёт в электронную базу «Центр обеспечения жильём»",
        "to": "Услугодателю – АО «Отбасы банк»",
        "self": "Настоящим я, {applicant}, прошу Вас поставить меня на учёт в качестве "
                "нуждающегося в жилище в электронную базу «Центр обеспечения жильём».",
        "for": "Настоящим я, {applicant}, являясь доверенным лицом/законным представителем, а "
               "также действуя от имени и в интересах {subject}, прошу Вас поставить {subject} на "
               "учёт в качестве нуждающегося в жилище в электронную базу «Центр обеспечения "
               "жильём».",
        "check": "Не возражаю против проверки наличия или отсутствия жилища у меня и членов моей "
                 "семьи в Республике Казахстан.",
        "consent": "Согласен на сбор и обработку сведений, составляющих охраняемую законом тайну, "
                   "содержащихся в информационных системах, и использование сведений. Согласен "
                   "на опубликование данных на интернет-ресурсе АО «Отбасы банк» в соответствии "
                   "с требованиями статей 71 и 78 Закона Республики Казахстан «О жилищных "
                   "отношениях».",
        "categories": "Уведомлён и согласен с постановкой на учёт нуждающихся в жилище без "
                      "принадлежности к лицам, определённым в пункте 1 статьи 74 Закона, в случае "
                      "отсутствия подтверждающих сведений в государственных базах данных.",
        "phone": "Номер мобильного телефона: {phone};",
        "email": "Электронная почта: {email}.",
        "born": "дата рождения", "document": "документ, удостоверяющий личность", "iin": "ИИН",
        "address": "адрес проживания (прописки)",
    },
    "en": {
        "title": "Application for registration in the «Housing Provision Centre» e-base",
        "to": "To the service provider, Otbasy bank JSC",
        "self": "I, {applicant}, hereby request you to register me as a person in need of "
                "housing in the «Housing Provision Centre» e-base.",
        "for": "I, {applicant}, being a trustee/legal representative, and acting on behalf of "
               "and in the interest of {subject}, hereby request you to register {subject} as a "
               "person in need of housing in the «Housing Provision Centre» e-base.",
        "check": "I do not object to checking whether I and my family members have or do not "
                 "have housing in the Republic of Kazakhstan.",
        "consent": "I consent to the collection and processing of information constituting "
                   "secrets protected by law contained in information systems, and to the use of "
                   "that information. I consent to the publication of data on the internet "
                   "resource of Otbasy bank JSC in accordance with the requirements of articles "
                   "71 and 78 of the Law of the Republic of Kazakhstan «On housing relations».",
        "categories": "I have been informed, and agree, that where the state databases hold no "
                      "confirming information I am registered as in need of housing without "
                      "belonging to the persons defined in article 74 paragraph 1 of the Law.",
        "phone": "Mobile phone number: {phone};",
        "email": "E-mail: {email}.",
        "born": "born", "document": "identity document", "iin": "IIN",
        "address": "residence (registered) address",
    },
}
LANGUAGES = tuple(_TEXT)


@dataclass(frozen=True)
class Filled:
    """The filled-in form: a title, the addressee, then its paragraphs in order."""

    title: str
    to: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        """The whole form as one text, one paragraph a line (what the SMS code signs)."""
        return "\n".join((self.title, self.to, *self.paragraphs))


def _date(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def identify(person: Person, words: dict, address: str = "") -> str:
    """The auto-filled data the form asks for after the IIN [002 App.2]: name, date of birth,
    identity document (number and date), address, IIN; a missing one is left out."""
    parts = [person.full_name, f"{words['born']} {_date(person.birth_date)}"]
    if person.document_number:
        parts.append(f"{words['document']} № {person.document_number} "
                     f"{_date(person.document_date)}".rstrip())
    if address:
        parts.append(f"{words['address']}: {address}")
    parts.append(f"{words['iin']} {person.iin}")
    return ", ".join(parts)


def fill(language: str, applicant: Person, subject: Person, phone: str, email: str,
         applicant_address: str = "", subject_address: str = "") -> Filled:
    """Appendix 2 filled in for `applicant`, who applies for themselves (subject is applicant)
    or, as trustee or legal representative, for `subject`."""
    words = _TEXT[language if language in _TEXT else "kk"]
    who = identify(applicant, words, applicant_address)
    if subject.iin == applicant.iin:
        request = words["self"].format(applicant=who)
    else:
        request = words["for"].format(applicant=who, subject=subject.full_name)
    return Filled(words["title"], words["to"], (
        request, words["check"], words["consent"], words["categories"],
        words["phone"].format(phone=phone or "—"), words["email"].format(email=email or "—")))
