"""Helpers of the fault tests: a TCP proxy the test can freeze (a database or
Redis that stops answering without closing anything) and the portal served by
gunicorn in its own process, as in production, on the test database."""

import contextlib
import http.cookiejar
import logging
import os
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests.alliance.notifications.conftest import free_port, port_open, wait_for

ROOT = Path(__file__).resolve().parent.parent


def figures_logger(fault: str):
    """Return a function that logs what a fault test measured (shown with
    ``--log-cli-level=INFO``)."""
    logger = logging.getLogger(f"tests.faults.{fault.replace(' ', '_')}")

    def figure(message: str, *args):
        logger.info(f"{fault}: {message}", *args)

    return figure


class FreezableProxy:
    """Forwards TCP connections from a free local port to ``target_port``.
    ``freeze()`` stops forwarding in both directions and accepting new
    connections (the kernel still completes their handshakes), as a hung server
    or network does; ``thaw()`` carries on where it stopped."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.port = free_port()
        self.frozen = threading.Event()
        self.closed = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", self.port), backlog=64)
        self.listener.settimeout(0.1)
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed.is_set():
            if self.frozen.is_set():
                time.sleep(0.05)
                continue
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets += [client, upstream]
            pump = threading.Thread(
                target=self._pump, args=(client, upstream), daemon=True
            )
            pump.start()

    def _pump(self, a: socket.socket, b: socket.socket):
        peers = {a: b, b: a}
        try:
            while not self.closed.is_set():
                if self.frozen.is_set():
                    time.sleep(0.05)
                    continue
                readable, _, _ = select.select([a, b], [], [], 0.1)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        except OSError:
            return
        finally:
            a.close()
            b.close()

    def freeze(self):
        self.frozen.set()

    def thaw(self):
        self.frozen.clear()

    def close(self):
        self.closed.set()
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.close()


class PortalServer:
    """gunicorn (one process, threads) serving the portal on a free port."""

    def __init__(self, env: dict, threads: int = 8):
        self.port = free_port()
        self.log_path = ROOT / "var" / f"test-gunicorn-{self.port}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = self.log_path.open("w")
        self.proc = subprocess.Popen(  # noqa: S603
            [
                sys.executable, "-m", "gunicorn", "alliance.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
                "--threads", str(threads), "--timeout", "120",
            ],
            cwd=ROOT, env={**os.environ, **env}, stdout=self.log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        if not wait_for(lambda: port_open(self.port), timeout=60):
            self.stop()
            raise RuntimeError(f"gunicorn did not start; see {self.log_path}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, timeout: float = 60, **headers) -> tuple:
        """GET ``path``: (status, body text, headers, seconds it took)."""
        request = urllib.request.Request(self.url + path, headers=headers)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                body, status, got = response.read(), response.status, response.headers
        except urllib.error.HTTPError as error:
            body, status, got = error.read(), error.code, error.headers
        return status, body.decode(errors="replace"), got, time.monotonic() - started

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A visitor of a PortalServer with its own cookies (session, CSRF); answers
    are (status, body text, headers, seconds it took), redirects not followed."""

    def __init__(self, server: PortalServer):
        self.server = server
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def request(self, method, path, data=None, headers=None, timeout=60) -> tuple:
        body = None
        headers = dict(headers or {})
        if isinstance(data, dict):
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            body = data
        request = urllib.request.Request(
            self.server.url + path, data=body, method=method, headers=headers
        )
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=timeout) as response:
                content, status, got = (
                    response.read(),
                    response.status,
                    response.headers,
                )
        except urllib.error.HTTPError as error:
            content, status, got = error.read(), error.code, error.headers
        took = time.monotonic() - started
        return status, content.decode(errors="replace"), got, took

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def sign_in(self, email: str, password: str) -> tuple:
        """Open the sign-in page and send the form, as a person does."""
        self.get("/accounts/login/")
        return self.request(
            "POST",
            "/accounts/login/",
            data={
                "login": email,
                "password": password,
                "csrfmiddlewaretoken": self.cookie("csrftoken") or "",
            },
        )
