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

# The owner may have a basic phone: one text for both languages, the code, address and link
# once, so it fits in three SMS parts instead of six.
CONSENT_REQUEST = (
    "1414: {applicant} тіркеуге келісім сұрайды / просит согласия на прописку: {address}. "
    "Код {code} (1 сағат / 1 час): {link} "
    "Күтпесеңіз, елемеңіз. Не ожидали - проигнорируйте."
)

REGISTERED = (
    "Mekenjai: {number} өтінім бойынша тіркеу жасалды. / "
    "Mekenjai: по заявке {number} регистрация выполнена. {link}"
)

REJECTED = (
    "Mekenjai: {number} өтінім қабылданбады. / Mekenjai: заявка {number} отклонена. {link}"
)
