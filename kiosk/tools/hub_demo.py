"""`make hub-demo`: a city network on one machine — PostgreSQL, the hub and two kiosk windows.

A throwaway PostgreSQL cluster in a temporary folder (kiosk.hub.devcluster; owned by the
`postgres` user when run as root), the hub on 127.0.0.1, and two terminals of two sites, each
with its own config and data folder: "Terminal A" of the ProbierLaden and "Terminal B" of the
library. Take a resume code on A (a course, then "Save my place"), type it on B: the progress
is there. Everything is deleted when both windows are closed or on Ctrl+C.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

from kiosk import resources
from kiosk.hub import admin
from kiosk.hub.devcluster import DevCluster, free_port
from kiosk.hub.schema import apply_migrations


@dataclass(frozen=True)
class DemoTerminal:
    name: str
    site: str
    title: str
    folder: Path


TERMINALS = (
    DemoTerminal("terminal-a", "probierladen", "ProbierLaden Jena · Terminal A", Path("a")),
    DemoTerminal("terminal-b", "bibliothek", "Ernst-Abbe-Bibliothek · Terminal B", Path("b")),
)


def site_text(title: str) -> str:
    """The demo site's config under another name, without its PIN hash (terminal-local)."""
    lines = resources.DEMO_CONFIG.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("pin_hash")]
    text = "\n".join(kept) + "\n"
    return text.replace('name = "ProbierLaden Jena"', f'name = "{title}"', 1)


def prepare(root: Path, database_url: str, hub_url: str) -> list[tuple[DemoTerminal, Path]]:
    """Sites and their configs on the hub, terminals enrolled, their folders written."""
    apply_migrations(database_url)
    made = []
    with psycopg.connect(database_url) as conn:
        for terminal in TERMINALS:
            home = root / terminal.folder
            home.mkdir()
            pushed = home / "site-on-hub.toml"
            pushed.write_text(site_text(terminal.title), encoding="utf-8")
            admin.push_config(conn, terminal.site, pushed)
            token = admin.enrol(conn, terminal.site, terminal.name)
            (home / "hub-token").write_text(token + "\n", encoding="utf-8")
            (home / "hub-token").chmod(0o600)
            # The terminal's own file: the site's config plus its PIN and its [hub] section.
            demo = resources.DEMO_CONFIG.read_text(encoding="utf-8")
            config = home / "site.toml"
            config.write_text(
                demo.replace('name = "ProbierLaden Jena"', f'name = "{terminal.title}"', 1)
                + f'\n[hub]\nurl = "{hub_url}"\nsite = "{terminal.site}"\n'
                'token_file = "hub-token"\ninterval_s = 2\n',
                encoding="utf-8",
            )
            made.append((terminal, config))
    return made


def wait_healthy(url: str, hub: subprocess.Popen[bytes], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if hub.poll() is not None:
            raise SystemExit("hub-demo: the hub ended at start; see the lines above")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("hub-demo: the hub did not become ready")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hub-demo", description=__doc__)
    parser.add_argument("--lang", default="de", help="language the kiosks start in")
    args = parser.parse_args(argv)
    kiosk_command = [sys.executable, "-m", "kiosk"]
    with tempfile.TemporaryDirectory(prefix="kiosk-hub-demo-") as tmp, DevCluster.create() as pg:
        root = Path(tmp)
        database_url = pg.create_database("hub")
        port = free_port()
        hub_url = f"http://127.0.0.1:{port}"
        terminals = prepare(root, database_url, hub_url)
        print(f"hub-demo: PostgreSQL {pg.url()} (folder {pg.folder})")
        hub = subprocess.Popen(  # noqa: S603 - this kiosk, with arguments made here
            [*kiosk_command, "hub", "serve", "--listen", f"127.0.0.1:{port}"],
            env={**os.environ, "KIOSK_HUB_DATABASE": database_url},
        )
        windows: list[subprocess.Popen[bytes]] = []
        try:
            wait_healthy(hub_url, hub)
            print(f"hub-demo: hub at {hub_url}")
            for terminal, config in terminals:
                data = root / terminal.folder / "data"
                windows.append(
                    subprocess.Popen(  # noqa: S603 - this kiosk, with arguments made here
                        [
                            *kiosk_command,
                            "run",
                            "--config",
                            str(config),
                            "--data-dir",
                            str(data),
                            "--lang",
                            args.lang,
                        ]
                    )
                )
            print(
                "hub-demo: two kiosk windows are open.\n"
                "  On Terminal A: Learn → a course → Next → 'Save my place': note the code.\n"
                "  On Terminal B: Learn → 'I have a code' → type it: the course goes on there.\n"
                "  Close both windows (or press Ctrl+C here) to end; everything is deleted."
            )
            while any(window.poll() is None for window in windows):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in [*windows, hub]:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in [*windows, hub]:
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
    print("hub-demo: ended; the cluster and the terminals' folders are deleted")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
