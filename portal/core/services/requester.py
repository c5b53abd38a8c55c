"""Who made the current request, and in which language: a value the route builds
(portal.core.citizens.requester) and hands to the use cases that word a message in that
person's language. Services never read the request themselves (.importlinter)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Requester:
    iin: str | None = None  # the signed-in citizen's IIN, None for a visitor, a job, a webhook
    lang: str | None = None  # the request's language, None outside a request

    def language_for(self, iin: str | None) -> str | None:
        """The language to write to `iin` in: the request's, when that person is asking;
        otherwise unknown (None: the SMS goes in Kazakh and Russian)."""
        return self.lang if iin is not None and self.iin == iin else None


NOBODY = Requester()  # a job, a webhook, a unit test without an app: nobody is asking
