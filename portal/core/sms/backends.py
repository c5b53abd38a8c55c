"""The SMS providers behind one `send()`: the outbox for development and demos, HTTP for real."""

from __future__ import annotations

import http.client
import json
import logging
import secrets
import urllib.error
import urllib.request
from typing import Protocol

log = logging.getLogger(__name__)


class SmsSendError(Exception):
    """The provider did not take the message; the caller keeps it queued and retries."""


class SmsBackend(Protocol):
    def send(self, phone: str, sender: str, body: str) -> str:
        """Hand one message to the provider and return the provider's id for it."""


class OutboxBackend:
    """Sends nothing: the stored row is the outbox, readable in the log and on /demo/sms."""

    def send(self, phone: str, sender: str, body: str) -> str:
        log.info("SMS outbox from %s to %s: %s", sender, phone, body)
        return f"outbox-{secrets.token_hex(6)}"


class HttpBackend:
    """A provider with a JSON API: POST {"to", "from", "text"} with a bearer token, get {"id"}."""

    def __init__(self, url: str, token: str, timeout: float = 5):
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"SMS provider URL must be http(s): {url!r}")
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, phone: str, sender: str, body: str) -> str:
        request = urllib.request.Request(
            self.url,
            data=json.dumps({"to": phone, "from": sender, "text": body}).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json",
                     "Authorization": f"Bearer {self.token}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read(64 * 1024)
        except urllib.error.HTTPError as exc:
            exc.close()  # its body is an open socket
            raise SmsSendError(f"HTTP {exc.code}") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise SmsSendError(f"timeout after {self.timeout} s") from exc
            raise SmsSendError(f"network: {exc.reason}") from exc
        except TimeoutError as exc:  # the answer, not the connection, was too slow
            raise SmsSendError(f"timeout after {self.timeout} s") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise SmsSendError(f"network: {exc!r}") from exc
        try:
            ref = json.loads(raw)["id"]
        except (ValueError, TypeError, KeyError) as exc:
            raise SmsSendError("bad response: no JSON id") from exc
        if not isinstance(ref, (str, int)) or not str(ref):
            raise SmsSendError("bad response: no JSON id")
        return str(ref)
