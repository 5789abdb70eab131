"""The throwaway PostgreSQL cluster, against the real server: lifecycle, crashes, isolation."""

from __future__ import annotations

import os
import pwd
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from kiosk.hub.devcluster import DevCluster, DevClusterError, PostgreSQLNotFoundError, find_bindir

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_cluster() -> Iterator[DevCluster]:
    """A cluster of this test's own, for tests that crash, stop or destroy it."""
    with DevCluster.create() as cluster:
        yield cluster


def query_one(url: str, statement: str) -> tuple[object, ...]:
    with psycopg.connect(url, connect_timeout=5) as connection:
        row = connection.execute(statement).fetchone()
    assert row is not None
    return tuple(row)


def test_server_is_postgresql_15_or_later(pg_cluster: DevCluster) -> None:
    version, number = query_one(
        pg_cluster.url(), "SELECT version(), current_setting('server_version_num')::int"
    )
    assert str(version).startswith("PostgreSQL ")
    assert isinstance(number, int)
    assert number >= 150000, version


def test_settings_of_a_throwaway_cluster(pg_cluster: DevCluster) -> None:
    settings = query_one(
        pg_cluster.url(),
        "SELECT current_setting('fsync'), current_setting('max_connections'),"
        " current_setting('unix_socket_directories'), current_setting('server_encoding'),"
        " current_setting('port')::int",
    )
    # fsync stays on by default: tests about durability rely on it.
    assert settings == ("on", "100", str(pg_cluster.folder), "UTF8", pg_cluster.port)


def test_fast_cluster_trades_durability_for_speed() -> None:
    with DevCluster.create(fast=True) as cluster:
        settings = query_one(
            cluster.url(),
            "SELECT current_setting('fsync'), current_setting('synchronous_commit'),"
            " current_setting('full_page_writes')",
        )
    assert settings == ("off", "off", "off")


def test_server_does_not_run_as_root(pg_cluster: DevCluster) -> None:
    (data_directory,) = query_one(pg_cluster.url(), "SELECT current_setting('data_directory')")
    assert Path(str(data_directory)) == pg_cluster.data_directory
    expected = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    assert pwd.getpwuid(Path(str(data_directory)).stat().st_uid).pw_name == expected
    postmaster_pid = int((pg_cluster.data_directory / "postmaster.pid").read_text().split()[0])
    assert pwd.getpwuid(Path(f"/proc/{postmaster_pid}").stat().st_uid).pw_name == expected
    assert Path(f"/proc/{postmaster_pid}").stat().st_uid != 0


def listening_addresses(port: int) -> list[str]:
    """The local addresses of the TCP sockets listening on a port, from /proc/net/tcp{,6}."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                if len(address) == 8:  # IPv4, little-endian
                    found.append(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
                else:
                    found.append(f"IPv6 {address}")
    return found


def test_listens_on_loopback_only(pg_cluster: DevCluster) -> None:
    listen, server_address = query_one(
        pg_cluster.url(), "SELECT current_setting('listen_addresses'), host(inet_server_addr())"
    )
    assert (listen, server_address) == ("127.0.0.1", "127.0.0.1")
    assert listening_addresses(pg_cluster.port) == ["127.0.0.1"]


def test_each_test_gets_an_empty_database_of_its_own(
    pg_cluster: DevCluster, empty_database: str
) -> None:
    assert empty_database.startswith(pg_cluster.url("t_test_each_test_gets_an_empty_database"))
    (tables,) = query_one(
        empty_database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
    )
    assert tables == 0
    with psycopg.connect(empty_database) as connection:
        connection.execute("CREATE TABLE visits (n int)")
    other = pg_cluster.create_database("separate_from_the_test_database")
    try:
        (tables,) = query_one(other, "SELECT count(*) FROM pg_tables WHERE tablename = 'visits'")
        assert tables == 0
    finally:
        pg_cluster.drop_database("separate_from_the_test_database")


def test_drop_database_ends_its_sessions_and_tolerates_a_missing_one(
    pg_cluster: DevCluster,
) -> None:
    url = pg_cluster.create_database("dropped_while_in_use")
    with psycopg.connect(url) as still_open:
        pg_cluster.drop_database("dropped_while_in_use")
        with pytest.raises(psycopg.OperationalError):
            still_open.execute("SELECT 1")
    (count,) = query_one(
        pg_cluster.url(), "SELECT count(*) FROM pg_database WHERE datname = 'dropped_while_in_use'"
    )
    assert count == 0
    pg_cluster.drop_database("dropped_while_in_use")


@pytest.mark.parametrize(
    "name", ["", "Visitors", "a-b", 'x"; DROP DATABASE postgres; --', "a" * 64]
)
def test_database_names_are_checked(pg_cluster: DevCluster, name: str) -> None:
    with pytest.raises(ValueError, match="lower-case letters, digits or underscores"):
        pg_cluster.create_database(name)


def test_kill_then_start_recovers_committed_rows_only(own_cluster: DevCluster) -> None:
    url = own_cluster.create_database("bookings")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE TABLE booking (id int PRIMARY KEY)")
        connection.execute("INSERT INTO booking VALUES (1)")
    unfinished = psycopg.connect(url)
    unfinished.execute("INSERT INTO booking VALUES (2)")
    backend = unfinished.info.backend_pid

    own_cluster.kill()
    assert not own_cluster.is_running()
    # Dead, though maybe not yet reaped by PID 1: its session cannot commit after the crash.
    status = Path(f"/proc/{backend}/status")
    assert not status.exists() or "State:\tZ" in status.read_text()
    with pytest.raises(psycopg.OperationalError):
        unfinished.commit()
    unfinished.close()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)

    own_cluster.start()
    assert own_cluster.is_running()
    with psycopg.connect(url) as connection:
        assert connection.execute("SELECT id FROM booking").fetchall() == [(1,)]
    log = own_cluster.log_file.read_text()
    assert "database system was interrupted" in log or "not properly shut down" in log


def test_restart_serves_the_same_data_from_a_new_server(own_cluster: DevCluster) -> None:
    url = own_cluster.create_database("kept")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE TABLE device (name text)")
        connection.execute("INSERT INTO device VALUES ('tablet')")
        (before,) = query_one(url, "SELECT pg_postmaster_start_time()")
        own_cluster.restart()
        with pytest.raises(psycopg.OperationalError):
            connection.execute("SELECT 1")
    assert query_one(url, "SELECT name FROM device") == ("tablet",)
    (after,) = query_one(url, "SELECT pg_postmaster_start_time()")
    assert after != before


def test_stop_and_start_in_every_mode(own_cluster: DevCluster) -> None:
    for mode in ("smart", "fast", "immediate"):
        own_cluster.stop(mode)
        assert not own_cluster.is_running()
        own_cluster.stop(mode)  # stopped already: nothing happens
        own_cluster.start()
        assert query_one(own_cluster.url(), "SELECT 1") == (1,)
    with pytest.raises(ValueError, match="stop mode"):
        own_cluster.stop("gentle")


def test_destroy_stops_the_server_and_removes_the_folder() -> None:
    cluster = DevCluster.create()
    assert (cluster.data_directory / "PG_VERSION").is_file()
    cluster.destroy()
    assert not cluster.folder.exists()
    assert not cluster.is_running()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(cluster.url(), connect_timeout=2)
    cluster.destroy()  # idempotent
    with pytest.raises(DevClusterError, match="destroyed"):
        cluster.start()


def test_a_failed_start_says_why_and_leaves_nothing_behind(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(DevClusterError) as failure:
            DevCluster.create(port=port)
    message = str(failure.value)
    assert f"did not start on 127.0.0.1:{port}" in message
    assert "could not bind" in message  # the server log's last lines
    data_directory = re.search(r"PostgreSQL in (\S+) did not start", message)
    assert data_directory is not None
    assert not Path(data_directory.group(1)).parent.exists()


def test_missing_or_old_postgresql_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no pg_config
    with pytest.raises(PostgreSQLNotFoundError, match="PostgreSQL 15 or later is not installed"):
        find_bindir(debian_root=tmp_path)

    old = tmp_path / "14" / "bin"
    old.mkdir(parents=True)
    for name in ("initdb", "postgres"):
        (old / name).write_text("#!/bin/sh\necho 'postgres (PostgreSQL) 14.11'\n")
        (old / name).chmod(0o755)
    with pytest.raises(PostgreSQLNotFoundError, match=r"found only .*14\.11"):
        find_bindir(debian_root=tmp_path)


def test_command_line_cluster_lives_until_ctrl_c() -> None:
    command = [sys.executable, "-m", "kiosk.hub.devcluster", "--database", "demo"]
    with subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True) as cli:
        try:
            assert cli.stdout is not None
            url_line = cli.stdout.readline().strip()
            folder_line = cli.stdout.readline().strip()
            assert url_line.startswith("DATABASE_URL=postgresql://postgres@127.0.0.1:")
            url = url_line.removeprefix("DATABASE_URL=")
            assert query_one(url, "SELECT current_database()") == ("demo",)
            folder = Path(folder_line.removeprefix("# folder: ").split(" (")[0])
            assert (folder / "data" / "PG_VERSION").is_file()
            cli.send_signal(signal.SIGINT)
            assert cli.wait(timeout=30) == 0
        finally:
            if cli.poll() is None:
                cli.kill()
    assert not folder.exists()
