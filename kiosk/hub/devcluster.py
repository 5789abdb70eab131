"""A throwaway PostgreSQL cluster for development, demos, benchmarks and the hub's tests.

``DevCluster.create()`` runs ``initdb`` in a fresh temporary folder and starts the server on
127.0.0.1 on a free port; ``destroy()`` (or leaving the ``with`` block, or the interpreter
exiting) stops it and removes the folder. PostgreSQL refuses to run as root, so when we are root
the folder belongs to the ``postgres`` system user and initdb and the server run as that user
(what ``runuser -u postgres`` would do). ``python -m kiosk.hub.devcluster`` starts one for a
human until Ctrl+C.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import TypedDict

import psycopg
from psycopg import sql

MIN_MAJOR_VERSION = 15
# Where Debian and Ubuntu install each major version's binaries (<root>/15/bin).
DEBIAN_ROOT = Path("/usr/lib/postgresql")
DATABASE_NAME = re.compile(r"[a-z0-9_]{1,63}")
# What pg_ctl stop -m sends for each shutdown mode.
STOP_SIGNALS = {"smart": signal.SIGTERM, "fast": signal.SIGINT, "immediate": signal.SIGQUIT}
# Start and stop give up after this many seconds (pg_ctl's -t 60).
WAIT_SECONDS = 60
LOG_TAIL_LINES = 20


class DevClusterError(RuntimeError):
    """The cluster could not be created, started or stopped; the message says why."""


class PostgreSQLNotFoundError(DevClusterError):
    """No PostgreSQL server binaries of a supported version are installed."""


def find_bindir(debian_root: Path = DEBIAN_ROOT) -> Path:
    """The folder of PostgreSQL's server binaries: ``pg_config --bindir``, else the newest
    <debian_root>/*/bin (Debian's layout), of major version 15 or later."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        # On Debian pg_config comes with libpq-dev and may name a server that is not installed.
        result = subprocess.run(  # noqa: S603 - the pg_config on PATH, as a shell would run it
            [pg_config, "--bindir"], capture_output=True, text=True
        )
        if result.returncode == 0 and result.stdout.strip():
            candidates.append(Path(result.stdout.strip()))
    debian = sorted(
        (path for path in debian_root.glob("*/bin") if path.parent.name.isdigit()),
        key=lambda path: int(path.parent.name),
        reverse=True,
    )
    candidates += debian
    seen: list[str] = []
    for bindir in candidates:
        if not all((bindir / name).is_file() for name in ("initdb", "postgres")):
            continue
        version = subprocess.run(  # noqa: S603 - a binary in the folder found above
            [str(bindir / "postgres"), "--version"], capture_output=True, text=True
        ).stdout.strip()
        seen.append(f"{bindir} ({version or 'version unknown'})")
        match = re.search(r"\(PostgreSQL\) (\d+)", version)
        if match and int(match.group(1)) >= MIN_MAJOR_VERSION:
            return bindir
    found = "; found only " + ", ".join(seen) if seen else ""
    raise PostgreSQLNotFoundError(
        f"PostgreSQL {MIN_MAJOR_VERSION} or later is not installed (no initdb and postgres"
        f" via pg_config --bindir or in {debian_root}/*/bin{found}). On Debian/Ubuntu:"
        " packaging/system-deps.sh hub, or apt-get install postgresql."
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class DevCluster:
    """A PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 on a free port.

    Anyone on this machine may connect as ``postgres`` without a password over TCP on loopback
    (``trust``): it holds test data only, and nothing outside the machine can reach it. Build it
    with ``create()``; the folder holds ``data/`` (the cluster), ``server.log`` and the socket.

    The postmaster is this process's child rather than pg_ctl's orphan, so that we reap it
    ourselves: where PID 1 reaps late or never (containers), a dead postmaster lingers as a
    zombie, and PostgreSQL takes the zombie's pid in postmaster.pid for a running server and
    refuses to start.
    """

    def __init__(self, bindir: Path, folder: Path, port: int, *, fast: bool) -> None:
        """Prefer ``create()``, which makes the folder and runs initdb."""
        self.bindir = bindir
        self.folder = folder
        self.port = port
        self.fast = fast
        self.data_directory = folder / "data"
        self.log_file = folder / "server.log"
        self._owner = _server_user() if _is_root() else None
        self._postmaster: subprocess.Popen[bytes] | None = None
        self._destroyed = False
        # A cluster someone forgot to destroy still goes when Python exits.
        atexit.register(self.destroy)

    @classmethod
    def create(cls, *, port: int | None = None, fast: bool = False) -> DevCluster:
        """Initialise a cluster in a new temporary folder, start it and wait until it accepts
        connections. ``fast`` turns off fsync, synchronous commit and full-page writes: for
        benchmarks only, since a crash of the machine may then lose committed data."""
        bindir = find_bindir()
        cluster = cls(bindir, _make_folder(), port or free_port(), fast=fast)
        try:
            cluster._initdb()
            for attempt in range(3):
                cluster._write_settings()
                try:
                    cluster.start()
                    break
                except DevClusterError as error:
                    # Another process may have taken the free port between our probe and start.
                    if port is not None or attempt == 2 or "could not bind" not in str(error):
                        raise
                    cluster.port = free_port()
        except BaseException:
            cluster.destroy()
            raise
        return cluster

    def url(self, database: str = "postgres") -> str:
        """The libpq URL of a database in this cluster (user postgres, no password)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database (a copy of template1) and return its URL."""
        _check_database_name(name)
        self._execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, ending its open sessions first; a missing database is fine."""
        _check_database_name(name)
        self._execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    def start(self) -> None:
        """Start the server (after kill() or stop('immediate'), crash recovery runs first) and
        wait until it accepts connections; nothing happens if it runs already."""
        if self._destroyed:
            raise DevClusterError(f"the cluster in {self.folder} has been destroyed")
        if self.is_running():
            return
        with self.log_file.open("ab") as log:
            # Its own session, so that Ctrl+C in a terminal reaches only us and we stop it in order.
            self._postmaster = subprocess.Popen(  # noqa: S603 - PostgreSQL's own server binary
                [str(self.bindir / "postgres"), "-D", str(self.data_directory)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                **self._run_options(),
            )
        self._wait_until_ready(self._postmaster)

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: ``smart`` waits for sessions to end, ``fast`` ends them, ``immediate``
        exits without a shutdown checkpoint (the next start recovers). Stopped already: fine."""
        if mode not in STOP_SIGNALS:
            raise ValueError(f"stop mode must be one of {', '.join(STOP_SIGNALS)}, not {mode!r}")
        postmaster = self._postmaster
        if postmaster is None or postmaster.poll() is not None:
            return
        postmaster.send_signal(STOP_SIGNALS[mode])
        try:
            postmaster.wait(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            raise DevClusterError(
                f"PostgreSQL in {self.data_directory} did not stop ({mode}) within"
                f" {WAIT_SECONDS} s\n{self.log_tail()}"
            ) from None

    def restart(self) -> None:
        """Stop (fast) and start again, e.g. so that a changed setting takes effect."""
        self.stop()
        self.start()

    def kill(self) -> None:
        """SIGKILL the postmaster and every process it started, as a crash of the server would;
        start() then runs crash recovery.

        The backends must die with it: each runs in its own session (PostgreSQL calls setsid()
        in every child), so killing the postmaster's process group misses them; a surviving one
        could still commit a transaction after the "crash", and while one holds the old shared
        memory a new postmaster refuses to start."""
        postmaster = self._postmaster
        if postmaster is None or postmaster.poll() is not None:
            raise DevClusterError(f"PostgreSQL in {self.data_directory} is not running")
        # Stopped, it can start no new backend between our listing its children and the kill.
        postmaster.send_signal(signal.SIGSTOP)
        children = _children_of(postmaster.pid)
        postmaster.kill()
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        postmaster.wait()
        # Orphaned, the backends are reaped by PID 1, which may take a while (or, in a container
        # without an init, never); dead but unreaped they hold no shared memory any more.
        deadline = time.monotonic() + WAIT_SECONDS
        while any(_process_alive(pid) for pid in children):
            if time.monotonic() > deadline:
                raise DevClusterError(f"PostgreSQL's processes {children} survived SIGKILL")
            time.sleep(0.01)

    def is_running(self) -> bool:
        """Whether the postmaster this object started is alive."""
        return self._postmaster is not None and self._postmaster.poll() is None

    def destroy(self) -> None:
        """Stop the server (immediate: its data is about to go) and remove the folder; calling
        it again does nothing."""
        if self._destroyed:
            return
        self._destroyed = True
        atexit.unregister(self.destroy)
        try:
            self.stop("immediate")
        except DevClusterError:
            self.kill()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        """The server log's last lines, headed for an error message ('' if it is empty)."""
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        tail = text.splitlines()[-lines:]
        return f"last lines of {self.log_file}:\n" + "\n".join(tail) if tail else ""

    def __enter__(self) -> DevCluster:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.destroy()

    def __repr__(self) -> str:
        return f"DevCluster(port={self.port}, folder={str(self.folder)!r})"

    def _initdb(self) -> None:
        # C.UTF-8: byte-order sorting like C, but upper()/lower() and regular expressions know
        # every script the kiosk shows; plain C is the fallback where C.UTF-8 does not exist.
        # --no-sync: the cluster lives in a temporary folder and does not outlive the machine.
        for locale in ("C.UTF-8", "C"):
            result = subprocess.run(  # noqa: S603 - PostgreSQL's own initdb
                [
                    str(self.bindir / "initdb"),
                    "-D", str(self.data_directory),
                    "-U", "postgres",
                    "-A", "trust",
                    "-E", "UTF8",
                    f"--locale={locale}",
                    "--no-sync",
                    "--no-instructions",
                ],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                **self._run_options(),
            )  # fmt: skip
            if result.returncode == 0:
                return
            shutil.rmtree(self.data_directory, ignore_errors=True)
            if "locale" not in result.stderr:
                break
        raise DevClusterError(f"initdb failed in {self.folder}:\n{result.stdout}{result.stderr}")

    def _write_settings(self) -> None:
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": _quote(str(self.folder)),
            "max_connections": "100",
            "logging_collector": "off",
        }
        if self.fast:
            settings |= {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
        lines = "".join(f"{key} = {value}\n" for key, value in settings.items())
        included = self.data_directory / "devcluster.conf"
        included.write_text("# Written by kiosk.hub.devcluster.\n" + lines, encoding="utf-8")
        if self._owner is not None:
            os.chown(included, self._owner.pw_uid, self._owner.pw_gid)
        main = self.data_directory / "postgresql.conf"
        text = main.read_text(encoding="utf-8")
        if "include 'devcluster.conf'" not in text:
            main.write_text(text + "\ninclude 'devcluster.conf'\n", encoding="utf-8")

    def _wait_until_ready(self, postmaster: subprocess.Popen[bytes]) -> None:
        """Wait, as ``pg_ctl -w`` does, until postmaster.pid names our process as ready."""
        deadline = time.monotonic() + WAIT_SECONDS
        while postmaster.poll() is None and time.monotonic() < deadline:
            try:
                lines = (self.data_directory / "postmaster.pid").read_text().splitlines()
            except OSError:
                lines = []
            if len(lines) >= 8 and lines[0] == str(postmaster.pid) and lines[7].strip() == "ready":
                return
            time.sleep(0.01)
        if postmaster.poll() is None:
            postmaster.kill()
            postmaster.wait()
            why = f"was not ready within {WAIT_SECONDS} s"
        else:
            why = f"exited with status {postmaster.returncode}"
        raise DevClusterError(
            f"PostgreSQL in {self.data_directory} did not start on 127.0.0.1:{self.port}: it"
            f" {why}.\n{self.log_tail()}"
        )

    def _run_options(self) -> _RunOptions:
        # cwd: the server user may not be allowed into our working directory (/root).
        # LC_ALL=C: English messages, which create() reads to recognise a taken port.
        options: _RunOptions = {"cwd": self.folder, "env": {**os.environ, "LC_ALL": "C"}}
        if self._owner is not None:
            owner = self._owner
            options |= {
                "user": owner.pw_uid,
                "group": owner.pw_gid,
                "extra_groups": os.getgrouplist(owner.pw_name, owner.pw_gid),
            }
        return options

    def _execute(self, statement: sql.Composed) -> None:
        # CREATE/DROP DATABASE cannot run inside a transaction block.
        with psycopg.connect(self.url(), autocommit=True, connect_timeout=10) as connection:
            connection.execute(statement)


class _RunOptions(TypedDict, total=False):
    """How subprocess runs a PostgreSQL binary (as the server user when we are root)."""

    cwd: Path
    env: dict[str, str]
    user: int
    group: int
    extra_groups: list[int]


def _is_root() -> bool:
    return os.geteuid() == 0


def _server_user() -> pwd.struct_passwd:
    """The ``postgres`` system user, who runs the server when we are root."""
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise DevClusterError(
            "PostgreSQL does not run as root, and there is no 'postgres' system user to run it"
            " (Debian's postgresql package creates one); or run as an ordinary user."
        ) from None


def _make_folder() -> Path:
    """A new private folder; as root, in a temporary directory the postgres user can reach."""
    if not _is_root():
        return Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    owner = _server_user()
    parent = Path(tempfile.gettempdir())
    if not all(path.stat().st_mode & stat.S_IXOTH for path in (parent, *parent.parents)):
        parent = Path("/tmp")  # noqa: S108 - world-traversable, so the postgres user gets in
    folder = Path(tempfile.mkdtemp(prefix="kiosk-pg-", dir=parent))
    os.chown(folder, owner.pw_uid, owner.pw_gid)
    return folder


def _children_of(parent: int) -> list[int]:
    """The processes whose parent is ``parent``: from /proc on Linux, else from ps."""
    if not Path("/proc/self/stat").exists():
        listing = subprocess.run(
            ["ps", "-A", "-o", "pid=,ppid="],  # noqa: S607 - POSIX ps, wherever PATH has it
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pairs = (line.split() for line in listing.splitlines())
        return [int(pid) for pid, ppid in pairs if int(ppid) == parent]
    children = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (command) state ppid ...": the command may contain spaces and parentheses.
            ppid = int(stat_file.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
        if ppid == parent:
            children.append(int(stat_file.parent.name))
    return children


def _process_alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie (dead, waiting for its parent to reap it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's, alive or a zombie
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return not Path("/proc/self/stat").exists()  # gone meanwhile, or no /proc to ask
    return state != "Z"


def _quote(value: str) -> str:
    """A string value for postgresql.conf."""
    return "'" + value.replace("'", "''") + "'"


def _check_database_name(name: str) -> None:
    if not DATABASE_NAME.fullmatch(name):
        raise ValueError(
            f"database names are 1 to 63 lower-case letters, digits or underscores, not {name!r}"
        )


def _database_name_argument(value: str) -> str:
    try:
        _check_database_name(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def main(argv: list[str] | None = None) -> int:
    """Start a cluster for a human, print how to reach it and keep it until Ctrl+C."""
    parser = argparse.ArgumentParser(
        prog="python -m kiosk.hub.devcluster",
        description="Start a throwaway PostgreSQL cluster on 127.0.0.1; Ctrl+C removes it.",
    )
    parser.add_argument("--port", type=int, help="TCP port (default: a free one)")
    parser.add_argument(
        "--database",
        type=_database_name_argument,
        help="also create this database and point the URL at it",
    )
    parser.add_argument(
        "--fast", action="store_true", help="fsync off etc. (benchmarks; unsafe on a crash)"
    )
    args = parser.parse_args(argv)
    # A service manager stops us with SIGTERM: leave through the `with` block as for Ctrl+C.
    signal.signal(signal.SIGTERM, lambda _signal, _frame: sys.exit(0))
    started = time.perf_counter()
    try:
        cluster = DevCluster.create(port=args.port, fast=args.fast)
    except DevClusterError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    with cluster:
        url = cluster.create_database(args.database) if args.database else cluster.url()
        # Shell syntax, so that `eval` or an env file can take it; the rest are comments.
        print(f"DATABASE_URL={url}")
        print(f"# folder: {cluster.folder} (server log: {cluster.log_file})")
        print(f"# ready in {time.perf_counter() - started:.1f} s; Ctrl+C stops it and removes it")
        sys.stdout.flush()
        try:
            while True:
                signal.pause()
        except KeyboardInterrupt:
            print("# removing the cluster", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
