"""One way for a service to say no: raise `Refused` (or a subclass) with a stable reason code.

Why an exception and not a result type: a refusal always means "nothing was changed" and the
caller's only sensible move is to show why, so unwinding is what we want; a result type would
have to be checked at every call and forwarded through helpers. Rules of the house:

- A service raises `Refused(reason, **context)` *before* it commits; nothing is half done.
  Success returns the thing made or changed.
- `reason` is a short stable code ("code_cooldown", "owner_phone_busy", "not_draft"): it is
  what tests assert, what logs show, and the key a blueprint maps to a translated text.
  Context carries the numbers a text needs (`seconds=42`, `attempts_left=3`), never prose.
- Services never build user-facing sentences. The web layer owns a table
  {reason: lazy text with %(placeholders)s} and calls `text_for(refused, table)`.
- A journey may subclass (`class SubmissionRefused(Refused)`) to let a view catch only its
  own kind; everything still is-a Refused, so one `except Refused` at the edge is enough.

Pure: no Flask. Texts are looked up by the caller (see portal/core/signing_texts.py).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any


class Refused(Exception):
    """The service declined; nothing was changed. `reason` says why, `context` the figures."""

    def __init__(self, reason: str, **context: Any):
        super().__init__(reason)
        self.reason = str(reason)
        self.context = context

    def __getattr__(self, name: str) -> Any:
        # refused.seconds, refused.attempts_left: context values read like attributes.
        try:
            return self.__dict__["context"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in self.context.items())
        return f"{type(self).__name__}({self.reason!r}{extra})"


class Gone(Refused):
    """What the request was about is no longer in the database: a draft deleted meanwhile (in
    another tab, by a kiosk's reset) took its signing code with it. Nothing was written; the web
    layer answers with a translated "this application no longer exists" page
    (portal.core.web.errors.gone), whichever journey asked."""

    def __init__(self, reason: str = "gone", **context: Any):
        super().__init__(reason, **context)


def text_for(refused: Refused, table: Mapping[str, Any], default: Any = None) -> str:
    """The translated text for a refusal: `table[reason]` (a lazy string or a callable taking the
    context) filled with the context. An unknown reason gives `default` (or the reason code,
    which a test will notice before a citizen does)."""
    template = table.get(refused.reason, default)
    if template is None:
        return refused.reason
    if inspect.isfunction(template) or inspect.ismethod(template):
        return str(template(**refused.context))
    text = str(template)
    return text % refused.context if refused.context and "%(" in text else text
