"""What keeps tests/unit pure: a unit test may not build the app, a database or a server.
Tests that need them live in tests/integration (or tests/web for pages)."""

from __future__ import annotations

# The fixtures that build an app, a database or a server (tests/conftest.py, tests/support).
NOT_PURE = frozenset({"app", "app_config", "db", "seeded", "client", "runner",
                      "database_templates", "redis_server"})


def impurity(fixturenames) -> str | None:
    """Why a test with these fixtures is no unit test, or None if it is one."""
    used = sorted(NOT_PURE.intersection(fixturenames))
    if not used:
        return None
    return f"a unit test must be pure but uses {', '.join(used)}: move it to tests/integration"
