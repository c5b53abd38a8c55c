"""A real Redis server for the tests: Debian's `redis-server` on a free loopback port, started
once per session (nothing saved to disk), stopped at the end.

Fixtures
- redis_server (session): "redis://127.0.0.1:PORT" of the running server.
- redis_url (function): "redis://127.0.0.1:PORT/0" on an emptied database, for one test.

When redis-server is missing the tests fail (never skip): `make test` installs it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

REDIS_SERVER = "redis-server"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory) -> Iterator[str]:
    import redis

    binary = shutil.which(REDIS_SERVER) or "/usr/bin/redis-server"
    if not shutil.which(binary):
        pytest.fail("redis-server is missing: `make test` installs it (apt-get install "
                    "redis-server)", pytrace=False)
    workdir = tmp_path_factory.mktemp("redis")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir), "--daemonize", "no", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}"
    client = redis.Redis.from_url(url)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not start on port {port}", pytrace=False)
                time.sleep(0.02)
        yield url
    finally:
        client.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
            process.wait()


@pytest.fixture
def redis_url(redis_server) -> str:
    import redis

    url = f"{redis_server}/0"
    with redis.Redis.from_url(url) as client:
        client.flushdb()
    return url
