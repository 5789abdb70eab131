"""`kiosk hub status --stale-after HOURS` for the city's monitoring: exit 1 naming the terminals
not heard from, revoked ones left out."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from kiosk.cli import main as kiosk_main
from tests.hub.servers import add_site, enrol


def test_stale_terminals_make_the_status_fail_and_are_named(
    hub_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    for name in ("vhs-1", "vhs-2", "vhs-old"):
        enrol(hub_database, "vhs", name)
    with psycopg.connect(hub_database) as conn:
        conn.execute("UPDATE terminals SET last_seen = now() WHERE name = 'vhs-1'")
        conn.execute(
            "UPDATE terminals SET last_seen = now() - interval '30 hours' WHERE name = 'vhs-2'"
        )
        conn.execute("UPDATE terminals SET revoked_at = now() WHERE name = 'vhs-old'")
    argv = ["hub", "status", "--database", hub_database]
    assert kiosk_main([*argv, "--stale-after", "24"]) == 1
    out, err = capsys.readouterr()
    assert "vhs-2" in out and err.strip() == "hub status: not heard from for over 24 h: vhs-2"
    assert kiosk_main([*argv, "--stale-after", "48"]) == 0
    capsys.readouterr()
    # Without it, a terminal is silent after 10 minutes (kiosk hub status --silent-after).
    assert kiosk_main(argv) == 1
    assert capsys.readouterr().err.strip() == "hub status: not heard from for over 10 min: vhs-2"
    assert kiosk_main([*argv, "--json", "--stale-after", "1"]) == 1
    assert '"terminal": "vhs-2"' in capsys.readouterr().out
