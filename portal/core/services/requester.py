"""Who made the current request, for services that word a message in that person's language.

Services do not import the web layer (.importlinter): the web layer tells this module how to
ask (portal.core.citizens.init_app sets the source); outside a request, and in services' unit tests
without an app, nobody is asking."""

from __future__ import annotations

from collections.abc import Callable


def _nobody() -> str | None:
    return None


_source: Callable[[], str | None] = _nobody


def set_source(source: Callable[[], str | None]) -> None:
    global _source
    _source = source


def iin() -> str | None:
    """The IIN of the signed-in citizen making the current request, or None."""
    return _source()
