"""A hub behind TLS with a city-internal certificate authority: terminals that are given the
authority ([hub] ca_file) sync, terminals without it refuse the hub's certificate."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest

from kiosk.config import load_config
from kiosk.storage.database import Storage
from kiosk.storage.sync_store import SyncStore
from kiosk.sync.client import HubClient, HubSettingsError, HubUnreachableError, hub_settings
from kiosk.sync.worker import Syncer
from tests.hub.servers import add_site, make_terminal, threaded_hub


def openssl(*args: str | Path, cwd: Path) -> None:
    tool = shutil.which("openssl")
    if tool is None:
        pytest.fail("openssl is not installed (packaging/system-deps.sh test installs it)")
    subprocess.run([tool, *map(str, args)], cwd=cwd, check=True, capture_output=True)


def city_authority(folder: Path) -> tuple[Path, Path, Path]:
    """A certificate authority of the city and the hub's certificate for localhost, signed by
    it: (authority, hub certificate, hub key)."""
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=City of Jena test authority",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        cwd=folder,
    )
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "hub.key",
        "-out",
        "hub.csr",
        "-subj",
        "/CN=localhost",
        cwd=folder,
    )
    (folder / "hub.ext").write_text(
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
        "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
        "authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n",
        encoding="utf-8",
    )
    openssl(
        "x509",
        "-req",
        "-in",
        "hub.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "hub.pem",
        "-days",
        "2",
        "-extfile",
        "hub.ext",
        cwd=folder,
    )
    return folder / "ca.pem", folder / "hub.pem", folder / "hub.key"


def test_a_terminal_trusts_the_hub_through_the_city_authority_it_is_given(
    hub_database: str, tmp_path: Path
) -> None:
    authority, certificate, key = city_authority(tmp_path)
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database, tls=(certificate, key)) as hub:
        assert hub.startswith("https://")
        terminal = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        with Storage.open(terminal.data_dir, outbox=True) as storage:
            storage.usage.add_events([("2026-12-01T10", "session_started", "de", "", "", "", "")])
        # Without the authority: the hub's certificate is not trusted, nothing is sent.
        settings = hub_settings(load_config(terminal.config))
        with SyncStore.open(terminal.data_dir) as store, HubClient(settings) as client:
            with pytest.raises(HubUnreachableError, match="CERTIFICATE_VERIFY_FAILED"):
                Syncer(store, client).round()
            assert store.outbox.backlog().rows == 1
        # With it ([hub] ca_file, relative to the config file): synced.
        shutil.copy(authority, terminal.config.parent / "city-ca.pem")
        with terminal.config.open("a", encoding="utf-8") as config:
            config.write('ca_file = "city-ca.pem"\n')
        settings = hub_settings(load_config(terminal.config))
        with SyncStore.open(terminal.data_dir) as store, HubClient(settings) as client:
            assert Syncer(store, client).round().pushed == 1
            assert store.outbox.backlog().rows == 0
    with psycopg.connect(hub_database) as conn:
        row = conn.execute("SELECT count(*) FROM usage_events").fetchone()
    assert row is not None and row[0] == 1


def test_a_missing_authority_file_is_named(hub_database: str, tmp_path: Path) -> None:
    add_site(hub_database, "vhs", tmp_path)
    terminal = make_terminal(tmp_path, hub_database, "https://hub.example.org/", "vhs", "vhs-1")
    with terminal.config.open("a", encoding="utf-8") as config:
        config.write('ca_file = "city-ca.pem"\n')
    with pytest.raises(HubSettingsError, match=r"city-ca\.pem"):
        hub_settings(load_config(terminal.config))
