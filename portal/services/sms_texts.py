"""SMS texts. An SMS goes out in Kazakh and Russian together, as 1414 messages do: the portal
does not know which language the phone's owner reads."""

SIGN_IN = (
    "Mekenjai: кіру коды {code}. Ешкімге айтпаңыз. / "
    "Код для входа {code}. Никому не сообщайте."
)

SIGN_APPLICATION = (
    "Mekenjai: өтінімге қол қою коды {code}. Ешкімге айтпаңыз. / "
    "Код для подписи заявки {code}. Никому не сообщайте."
)

CONSENT_REQUEST = (
    "1414: {applicant} {address} мекенжайына тіркеуге келісіміңізді сұрайды. Код {code}, "
    "1 сағат жарамды: {link} Күтпеген болсаңыз, елемеңіз. / "
    "1414: {applicant} просит согласия на регистрацию по адресу {address}. Код {code}, "
    "действует 1 час: {link} Если вы не ожидали, проигнорируйте."
)

REGISTERED = (
    "Mekenjai: {number} өтінім бойынша тіркеу жасалды. / "
    "Mekenjai: по заявке {number} регистрация выполнена. {link}"
)

REJECTED = (
    "Mekenjai: {number} өтінім қабылданбады. / Mekenjai: заявка {number} отклонена. {link}"
)
