"""A throwaway ``redis-server`` on 127.0.0.1 for tests and benchmarks.

Started on a free port with no persistence, stopped (``shutdown nosave``) afterwards. Tests
skip with a clear reason only when the ``redis-server`` binary is absent; CI installs it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_binary() -> str | None:
    """Path of ``redis-server``, or None when it is not installed."""
    return shutil.which("redis-server")


def _wait_until_ready(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"redis-server on 127.0.0.1:{port} did not answer PING in time")


@contextmanager
def running_redis(timeout: float = 10.0) -> Iterator[str]:
    """Start a throwaway redis-server and yield its ``redis://127.0.0.1:PORT/0`` URL."""
    binary = redis_binary()
    if binary is None:
        raise RuntimeError("redis-server is not installed")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="blogingest-redis-") as workdir:
        args = [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
            "--daemonize",
            "no",
        ]
        log = (Path(workdir) / "redis.log").open("wb")
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_ready(port, time.monotonic() + timeout)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


class RestartableRedis:
    """A throwaway redis-server that a test may stop and start again on the same port.

    No persistence: a restart comes back empty, as a Redis without RDB/AOF does.
    """

    def __init__(self, workdir: Path, timeout: float = 10.0) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.timeout = timeout
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server (again) and wait until it answers PING."""
        binary = redis_binary()
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--dir", str(self.workdir), "--daemonize", "no"]
        with (self.workdir / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        _wait_until_ready(self.port, time.monotonic() + self.timeout)

    def stop(self) -> None:
        """Stop the server (its data is gone)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def restartable_redis() -> Iterator[RestartableRedis]:
    """Yield a started :class:`RestartableRedis`; stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="blogingest-redis-") as workdir:
        server = RestartableRedis(Path(workdir))
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A session-wide throwaway Redis; skips only when the binary is absent."""
    if redis_binary() is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with running_redis() as url:
        yield url
