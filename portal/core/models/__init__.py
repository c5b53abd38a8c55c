"""The portal's own tables, as a package: shared tables (`shared`: applications, status
history, SMS, codes, audit), signing and numbering (`signing`), and one module per journey
(`residence`: consents; `housing`: the queue, its counters and uploaded files). Every name is
re-exported here, so `from portal.core.models import X` works for all of them.

The state registries' tables are not here: they live behind portal.core.registries (the demo
stand-in in demo_registries/). The office's tables stay in portal/housing/office/staff/models.py
and the
kiosk's in kiosk/models.py, next to their code.
"""

from portal.core.models.base import UtcDateTime, _now
from portal.core.models.housing import (
    HousingDocument,
    HousingDocumentContent,
    QueueCount,
    QueueCounter,
    QueueEntry,
)
from portal.core.models.housing_member import PlaceSnapshot, QueueTransfer, SnapshotRun
from portal.core.models.residence import ConsentRequest, ConsentStatus
from portal.core.models.shared import (
    Application,
    AppStatus,
    AuditEvent,
    CodePurpose,
    InboundSms,
    MailMessage,
    OneTimeCode,
    PhoneLock,
    SendGuard,
    Service,
    SmsMessage,
    SmsStatus,
    StatusEvent,
)
from portal.core.models.signing import NumberCounter, Signature, SignatureMethod, SigningChallenge

__all__ = [
    "AppStatus", "Application", "AuditEvent", "CodePurpose", "ConsentRequest", "ConsentStatus",
    "HousingDocument", "HousingDocumentContent", "PlaceSnapshot", "QueueCount", "QueueCounter",
    "QueueEntry", "QueueTransfer", "SnapshotRun",
    "InboundSms", "NumberCounter", "OneTimeCode", "PhoneLock", "SendGuard", "Service",
    "MailMessage", "Signature", "SignatureMethod", "SigningChallenge", "SmsMessage", "SmsStatus",
    "StatusEvent", "UtcDateTime", "_now",
]
