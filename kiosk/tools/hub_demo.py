"""`make hub-demo`: a city network on one machine — PostgreSQL, the hub and kiosk windows.

A throwaway PostgreSQL cluster in a temporary folder (kiosk.hub.devcluster; owned by the
`postgres` user when run as root), the hub on 127.0.0.1, and two terminals of the Probierladen,
"Terminal A" and "Terminal B", each with its own config and data folder (with ``--library``, a
third at the library, another site). Book a tablet on A: B shows the time taken, and its staff
desk shows the booking. Press Enter to stop the hub (the network is down), book the same time
on A and on B — both provisional — and press Enter again to start it: the hub keeps one, the
other is a conflict on both staff desks. A resume code taken on one terminal works on the
others. Type c and Enter to publish a changed course ("Video calls", its title marked with its
new version): every terminal installs it and shows it at its next idle moment, without a restart.
The staff web desk is at the hub's /desk/ with a demo sign-in (an administrator of the demo
sites): a phone booking taken there shows on the terminals after their next pull.
Everything is deleted when the windows are closed or on Ctrl+C.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import shutil
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
from kiosk.hub.desk import accounts
from kiosk.hub.devcluster import DevCluster, free_port
from kiosk.hub.schema import apply_migrations


@dataclass(frozen=True)
class DemoTerminal:
    name: str
    site: str
    site_name: str  # the site's, from its config: the terminals of a site show the same
    folder: Path


TERMINALS = (
    DemoTerminal("terminal-a", "probierladen", "Probierladen Jena", Path("a")),
    DemoTerminal("terminal-b", "probierladen", "Probierladen Jena", Path("b")),
)
LIBRARY = DemoTerminal("terminal-c", "bibliothek", "Ernst-Abbe-Bibliothek", Path("c"))


def site_text(site_name: str) -> str:
    """The demo site's config under another name, without its PIN hash (terminal-local)."""
    lines = resources.DEMO_CONFIG.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("pin_hash")]
    text = "\n".join(kept) + "\n"
    return text.replace('name = "Probierladen Jena"', f'name = "{site_name}"', 1)


def prepare(
    root: Path, database_url: str, hub_url: str, terminals: tuple[DemoTerminal, ...] = TERMINALS
) -> list[tuple[DemoTerminal, Path]]:
    """Sites and their configs on the hub, terminals enrolled, their folders written."""
    apply_migrations(database_url)
    made: list[tuple[DemoTerminal, Path]] = []
    with psycopg.connect(database_url) as conn:
        for terminal in terminals:
            home = root / terminal.folder
            home.mkdir()
            pushed = home / "site-on-hub.toml"
            pushed.write_text(site_text(terminal.site_name), encoding="utf-8")
            if terminal.site not in {done.site for done, _config in made}:
                admin.push_config(conn, terminal.site, pushed)
            token = admin.enrol(conn, terminal.site, terminal.name)
            (home / "hub-token").write_text(token + "\n", encoding="utf-8")
            (home / "hub-token").chmod(0o600)
            # The terminal's own file: the site's config plus its PIN and its [hub] section
            # (the same config as the hub's: the site's first version changes nothing here).
            demo = resources.DEMO_CONFIG.read_text(encoding="utf-8")
            config = home / "site.toml"
            config.write_text(
                demo.replace('name = "Probierladen Jena"', f'name = "{terminal.site_name}"', 1)
                + f'\n[hub]\nurl = "{hub_url}"\nsite = "{terminal.site}"\n'
                'token_file = "hub-token"\ninterval_s = 2\n',
                encoding="utf-8",
            )
            made.append((terminal, config))
    return made


# The demo's staff sign-in: printed at start, and safe to print (the cluster is throwaway and
# the hub listens on the loopback only).
DEMO_STAFF = "demo"
DEMO_STAFF_PASSWORD = "desk-demo-2468"  # noqa: S105 - a demo sign-in, printed on purpose


def add_demo_staff(database_url: str, terminals: tuple[DemoTerminal, ...]) -> None:
    """The demo's staff account: an administrator, named for the demo terminals' sites."""
    sites = sorted({terminal.site for terminal in terminals})
    with psycopg.connect(database_url) as conn:
        accounts.add_account(conn, DEMO_STAFF, DEMO_STAFF_PASSWORD, sites, admin=True)


def desk_line(hub_url: str) -> str:
    """What the demo prints about the staff web desk: its address and the demo sign-in."""
    return (
        f"hub-demo: staff web desk at {hub_url}/desk/ — sign in as "
        f"{DEMO_STAFF} / {DEMO_STAFF_PASSWORD}"
    )


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


class DemoHub:
    """The hub process, stopped and started again on demand (the network going down and up)."""

    def __init__(self, command: list[str], database_url: str, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self._command = [*command, "hub", "serve", "--listen", f"127.0.0.1:{port}"]
        self._env = {**os.environ, "KIOSK_HUB_DATABASE": database_url}
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        self._process = subprocess.Popen(self._command, env=self._env)  # noqa: S603 - made here
        wait_healthy(self.url, self._process)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None


class Console:
    """Lines typed on the console (or written to a pipe, to script the demo): an empty one
    stops or starts the hub, "c" publishes a changed course. At the end of the input nothing
    more is waited for."""

    def __init__(self) -> None:
        self._open = True

    def line_within(self, timeout_s: float) -> str | None:
        """The line (without its end) that came within ``timeout_s``, else None."""
        if not self._open:
            time.sleep(timeout_s)
            return None
        ready, _, _ = select.select([sys.stdin], [], [], timeout_s)
        if not ready:
            return None
        line = sys.stdin.readline()
        if line == "":
            self._open = False  # the end of the input: no more lines will come
            return None
        return line.strip()


DEMO_COURSE = "video-calls"


def changed_course(root: Path, version: int) -> Path:
    """A copy of the demo course as its authors would change it: the next version, its title
    marked with that version in every language."""
    folder = root / "published" / f"v{version}" / DEMO_COURSE
    shutil.copytree(resources.COURSES / DEMO_COURSE, folder)
    manifest = folder / "course.toml"
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^version = \d+$", f"version = {version}", text, count=1)
    title = text.index("[title]")
    end = text.index("\n\n", title)
    titles = re.sub(r'(?m)^(\S+) = "(.*)"$', rf'\1 = "\2 · v{version}"', text[title:end])
    manifest.write_text(text[:title] + titles + text[end:], encoding="utf-8")
    return folder


def publish(kiosk_command: list[str], database_url: str, folder: Path) -> None:
    """`kiosk hub courses publish FOLDER`, as an administrator would run it."""
    subprocess.run(  # noqa: S603 - this kiosk, with arguments made here
        [*kiosk_command, "hub", "courses", "publish", str(folder)],
        env={**os.environ, "KIOSK_HUB_DATABASE": database_url},
        check=False,
    )


GUIDE = """\
hub-demo: the kiosk windows are open (staff PIN 2468: hold the logo for three seconds).
  Book a device on Terminal A; on Terminal B the time is taken, and B's staff desk shows it.
  Press Enter here to stop the hub, book the same time on A and on B (both provisional),
  press Enter again to start it: the hub keeps one; the other is a conflict on both desks.
  A resume code taken on one terminal ('Save my place' in a course) works on the others.
  Type c and Enter to publish a changed course: both windows show it once nobody uses them.
  Take a phone booking at the staff web desk: the terminals show it after their next pull.
  Close the windows (or press Ctrl+C here) to end; everything is deleted."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hub-demo", description=__doc__)
    parser.add_argument("--lang", default="de", help="language the kiosks start in")
    parser.add_argument(
        "--library", action="store_true", help="a third terminal, at the library (another site)"
    )
    args = parser.parse_args(argv)
    kiosk_command = [sys.executable, "-m", "kiosk"]
    chosen = (*TERMINALS, LIBRARY) if args.library else TERMINALS
    with tempfile.TemporaryDirectory(prefix="kiosk-hub-demo-") as tmp, DevCluster.create() as pg:
        root = Path(tmp)
        database_url = pg.create_database("hub")
        hub = DemoHub(kiosk_command, database_url, free_port())
        terminals = prepare(root, database_url, hub.url, chosen)
        print(f"hub-demo: PostgreSQL {pg.url()} (folder {pg.folder})")
        windows: list[subprocess.Popen[bytes]] = []
        try:
            hub.start()
            add_demo_staff(database_url, chosen)
            print(f"hub-demo: hub at {hub.url}")
            print(desk_line(hub.url), flush=True)
            for terminal, config in terminals:
                data = root / terminal.folder / "data"
                windows.append(
                    subprocess.Popen(  # noqa: S603 - this kiosk, with arguments made here
                        [
                            *kiosk_command,
                            "run",
                            "--demo",  # the terminals keep the demo's PIN, 2468
                            "--config",
                            str(config),
                            "--data-dir",
                            str(data),
                            "--lang",
                            args.lang,
                        ]
                    )
                )
            print(GUIDE, flush=True)
            console = Console()
            course_version = 1
            while any(window.poll() is None for window in windows):
                line = console.line_within(0.5)
                if line == "c":
                    course_version += 1
                    publish(kiosk_command, database_url, changed_course(root, course_version))
                elif line is not None:
                    if hub.running:
                        hub.stop()
                        print(
                            "hub-demo: the hub is stopped; the terminals work offline", flush=True
                        )
                    else:
                        hub.start()
                        # Offline terminals try again with growing pauses (kiosk.sync.worker):
                        # after a minute away, the next try can be a minute off.
                        print(
                            "hub-demo: the hub is back; each terminal syncs at its next try "
                            "(the longer the hub was away, the longer that can take: up to a "
                            "minute or two)",
                            flush=True,
                        )
        except KeyboardInterrupt:
            pass
        finally:
            for process in windows:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in windows:
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
            hub.stop()
    print("hub-demo: ended; the cluster and the terminals' folders are deleted")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
