"""`kiosk hub …`: the hub's database, server, terminals, site configs, status and city figures.

Every verb takes ``--database URL`` (default: the environment variable KIOSK_HUB_DATABASE, so a
password never shows on a command line). Needs the `hub` extra.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import uvicorn
from psycopg_pool import ConnectionPool

from kiosk.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, export_period, whole_months
from kiosk.config import SiteConfig
from kiosk.hub import admin
from kiosk.hub.api import create_app
from kiosk.hub.schema import apply_migrations
from kiosk.hub.site_rules import SiteRulesCache
from kiosk.hub.stats import StatsError, export_city
from kiosk.hub.upkeep import Upkeep

log = logging.getLogger("kiosk.hub")
DATABASE_VARIABLE = "KIOSK_HUB_DATABASE"
DEFAULT_LISTEN = "127.0.0.1:8470"


def hub(args: argparse.Namespace, _config: SiteConfig) -> int:
    verb = args.hub_command
    if verb is None or (verb in ("config", "stats") and args.hub_verb is None):
        print(
            "usage: kiosk hub init-db|serve|enrol|revoke|config push|status|stats export …",
            file=sys.stderr,
        )
        return EXIT_USAGE
    url = args.database or os.environ.get(DATABASE_VARIABLE, "")
    if not url:
        print(f"hub {verb}: give --database URL or set {DATABASE_VARIABLE}", file=sys.stderr)
        return EXIT_USAGE
    label = f"hub {verb}" + (f" {args.hub_verb}" if verb in ("config", "stats") else "")
    try:
        return VERBS[verb](args, url)
    except admin.AdminError as error:
        # A config file's problems are printed as `kiosk check` prints them: FILE:LINE first.
        file_problem = f"{args.file}:" if verb == "config" else None
        for line in str(error).splitlines():
            print(
                line if file_problem and line.startswith(file_problem) else f"{label}: {line}",
                file=sys.stderr,
            )
        return EXIT_USAGE
    except psycopg.OperationalError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"{label}: cannot reach the database: {first}", file=sys.stderr)
        return EXIT_FAILED
    except psycopg.errors.UndefinedTable:
        print(
            f"{label}: the database has no hub schema yet: run kiosk hub init-db", file=sys.stderr
        )
        return EXIT_FAILED


def _connect(url: str) -> psycopg.Connection[tuple[Any, ...]]:
    return psycopg.connect(url, connect_timeout=10)


def init_db(_args: argparse.Namespace, url: str) -> int:
    applied = apply_migrations(url)
    print(f"applied {', '.join(applied)}" if applied else "schema is up to date")
    return EXIT_OK


def enrol(args: argparse.Namespace, url: str) -> int:
    with _connect(url) as conn:
        token = admin.enrol(conn, args.site, args.terminal)
    print(f"terminal {args.terminal} of site {args.site} enrolled; its token (shown only now):")
    print(token)
    return EXIT_OK


def revoke(args: argparse.Namespace, url: str) -> int:
    with _connect(url) as conn:
        admin.revoke(conn, args.terminal)
    print(f"terminal {args.terminal}: token revoked")
    return EXIT_OK


def config(args: argparse.Namespace, url: str) -> int:
    path: Path = args.file
    if not path.is_file():
        print(f"{path}:1: file: no such file", file=sys.stderr)
        return EXIT_USAGE
    with _connect(url) as conn:
        version = admin.push_config(conn, args.site, path)
    print(f"site {args.site}: config version {version}")
    return EXIT_OK


def status(args: argparse.Namespace, url: str) -> int:
    with _connect(url) as conn:
        terminals = admin.status(conn)
    now = datetime.now(UTC)
    shown = _show_status(terminals, now, as_json=args.json)
    if args.stale_after is None:
        return shown
    limit = timedelta(hours=args.stale_after)
    stale = [
        t.name
        for t in terminals
        if not t.revoked and (t.last_seen is None or now - t.last_seen > limit)
    ]
    if stale:
        print(
            f"hub status: not heard from for over {args.stale_after:g} h: {', '.join(stale)}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return shown


def _show_status(terminals: list[admin.TerminalStatus], now: datetime, *, as_json: bool) -> int:
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "terminal": t.name,
                        "site": t.site,
                        "revoked": t.revoked,
                        "last_seen": t.last_seen.isoformat() if t.last_seen else None,
                        "version": t.version,
                        "rows_received": t.rows_received,
                        "backlog": t.backlog,
                        "backlog_reported_at": t.backlog_at.isoformat() if t.backlog_at else None,
                    }
                    for t in terminals
                ],
                indent=2,
            )
        )
        return EXIT_OK
    if not terminals:
        print("no terminals enrolled")
        return EXIT_OK
    header = ("terminal", "site", "last seen", "version", "rows received", "backlog")
    lines = [header]
    for t in terminals:
        seen = "never" if t.last_seen is None else _ago(now, t.last_seen)
        lines.append(
            (
                t.name + (" (revoked)" if t.revoked else ""),
                t.site,
                seen,
                t.version or "-",
                str(t.rows_received),
                str(t.backlog),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
    return EXIT_OK


def _ago(now: datetime, then: datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def stats(args: argparse.Namespace, url: str) -> int:
    verb = "hub stats export"
    days = export_period(args, verb)
    if days is None:
        return EXIT_USAGE
    try:
        with _connect(url) as conn:
            folder, span = export_city(conn, *days, args.out, period=args.period, site=args.site)
        if span.widened:
            print(f"{verb}: {whole_months(span.first, span.last)}", file=sys.stderr)
    except StatsError as error:
        print(f"{verb}: {error}; nothing written", file=sys.stderr)
        return EXIT_USAGE
    print(folder)
    return EXIT_OK


def serve(args: argparse.Namespace, url: str) -> int:
    try:
        host, port = _listen(args.listen)
    except ValueError as error:
        print(f"hub serve: --listen {args.listen}: {error}", file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # check_connection: a connection the database dropped (a PostgreSQL restart) is replaced
    # before a request gets it, instead of failing that request.
    with ConnectionPool(
        url,
        min_size=1,
        max_size=8,
        open=False,
        timeout=10,
        check=ConnectionPool.check_connection,
    ) as pool:
        # Starts even while the database is down (it answers 503 until then, /health says so).
        pool.open(wait=False)
        stop = threading.Event()
        # No-shows released twice a minute; names, expired progress and old counts hourly.
        upkeep = Upkeep(pool, SiteRulesCache())
        threading.Thread(target=upkeep.run, args=(stop,), name="upkeep", daemon=True).start()
        try:
            uvicorn.run(
                create_app(pool),
                host=host,
                port=port,
                log_level="warning",
                access_log=False,  # no addresses of terminals in the log; the proxy has its own
                proxy_headers=True,
            )
        finally:
            stop.set()
    return EXIT_OK


def _listen(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("expected HOST:PORT, e.g. 127.0.0.1:8470")
    return host.strip("[]"), int(port)


VERBS = {
    "init-db": init_db,
    "serve": serve,
    "enrol": enrol,
    "revoke": revoke,
    "config": config,
    "status": status,
    "stats": stats,
}
