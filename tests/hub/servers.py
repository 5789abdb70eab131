"""Running hubs for tests: in a thread (fast, for API tests) or as a real `kiosk hub serve`
process (for faults: it can be killed), plus enrolled terminals with their own data folders."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import uvicorn
from psycopg_pool import ConnectionPool

from kiosk.hub import admin
from kiosk.hub.api import create_app
from kiosk.hub.devcluster import free_port

REPO = Path(__file__).resolve().parents[2]
DEMO_CONFIG = REPO / "kiosk" / "demo_site.toml"


def site_config_text(*, visitor_limits: bool = False) -> str:
    """The demo site's config without its staff PIN hash: what a site pushes to the hub.

    The tests book many times for one name in a second: the visitor limits are off unless
    ``visitor_limits`` (then the defaults: two open bookings per name and day, 30 s apart).
    """
    lines = DEMO_CONFIG.read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.startswith("pin_hash")) + "\n"
    if visitor_limits:
        return text
    unlimited = "[bookings]\nmax_open_per_name_per_day = 0\ncooldown_s = 0\n"
    return text.replace("[bookings]\n", unlimited, 1)


def add_site(url: str, site: str, folder: Path) -> None:
    """The site exists on the hub (its config pushed)."""
    path = folder / f"{site}.toml"
    path.write_text(site_config_text(), encoding="utf-8")
    with psycopg.connect(url) as conn:
        admin.push_config(conn, site, path)


def enrol(url: str, site: str, name: str) -> str:
    with psycopg.connect(url) as conn:
        return admin.enrol(conn, site, name)


@dataclass(frozen=True)
class Terminal:
    """An enrolled terminal: its config file (with [hub]) and data folder."""

    name: str
    site: str
    token: str
    config: Path
    data_dir: Path


def make_terminal(
    folder: Path, database_url: str, hub_url: str, site: str, name: str, *, interval_s: int = 1
) -> Terminal:
    home = folder / name
    home.mkdir(parents=True, exist_ok=True)
    token = enrol(database_url, site, name)
    (home / "hub-token").write_text(token + "\n", encoding="utf-8")
    (home / "hub-token").chmod(0o600)
    config = home / "site.toml"
    config.write_text(
        site_config_text()
        + f'\n[hub]\nurl = "{hub_url}"\nsite = "{site}"\ntoken_file = "hub-token"\n'
        + f"interval_s = {interval_s}\ntimeout_s = 2.0\n",
        encoding="utf-8",
    )
    data = home / "data"
    data.mkdir(exist_ok=True)
    return Terminal(name, site, token, config, data)


@contextmanager
def threaded_hub(database_url: str, *, tls: tuple[Path, Path] | None = None) -> Iterator[str]:
    """The hub's app on a free loopback port in this process; yields its base URL.

    ``tls``: (certificate, key) PEM files; the hub then answers https on ``localhost``.
    """
    with ConnectionPool(
        database_url, min_size=1, max_size=8, check=ConnectionPool.check_connection
    ) as pool:
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(pool),
                host="127.0.0.1",
                port=port,
                log_level="warning",
                access_log=False,
                ssl_certfile=None if tls is None else str(tls[0]),
                ssl_keyfile=None if tls is None else str(tls[1]),
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the hub did not start")
            time.sleep(0.01)
        try:
            yield f"https://localhost:{port}" if tls else f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(10)


class HubProcess:
    """`kiosk hub serve` as a child process on a fixed port, so it can be killed and restarted
    at the same address."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.database_url = database_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 30) -> None:
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "kiosk",
                    "hub",
                    "serve",
                    "--listen",
                    f"127.0.0.1:{self.port}",
                ],
                env={**os.environ, "KIOSK_HUB_DATABASE": self.database_url},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the hub ended: {self._log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"the hub did not become healthy: {self._log.read_text()[-2000:]}")

    def kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(10)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> HubProcess:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
