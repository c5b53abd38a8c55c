"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd, in its own thread): what it
receives is parsed with the standard library's e-mail parser."""

from __future__ import annotations

import contextlib
import email
import email.policy
import socket

from aiosmtpd.controller import Controller


class _Collect:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.original_content,
                                                      policy=email.policy.default))
        return "250 OK"


class Server:
    def __init__(self, port: int, handler: _Collect):
        self.port, self._handler = port, handler

    @property
    def messages(self):
        return self._handler.messages


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def smtp_server(auth_require_tls: bool = False):
    """Listen on a free port until the block ends; yields the Server (port, messages)."""
    handler = _Collect()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port,
                            auth_require_tls=auth_require_tls)
    controller.start()
    try:
        yield Server(port, handler)
    finally:
        controller.stop()
