"""`kiosk hub …`: the hub's database, server, terminals, site configs, course packages, status
and city figures.

Every verb takes ``--database URL`` (default: the environment variable KIOSK_HUB_DATABASE, so a
password never shows on a command line). Needs the `hub` extra.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import uvicorn
from psycopg_pool import ConnectionPool

from kiosk.commands import hub_staff, hub_status
from kiosk.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, export_period, whole_months
from kiosk.config import SiteConfig
from kiosk.hub import admin, fleet, fleet_status
from kiosk.hub.api import create_app
from kiosk.hub.schema import apply_migrations
from kiosk.hub.site_rules import SiteRulesCache
from kiosk.hub.stats import StatsError, export_city
from kiosk.hub.upkeep import Upkeep

log = logging.getLogger("kiosk.hub")
DATABASE_VARIABLE = "KIOSK_HUB_DATABASE"
DEFAULT_LISTEN = "127.0.0.1:8470"
# Verbs with a verb of their own (`kiosk hub config push`).
_WITH_VERBS = ("config", "stats", "courses", "staff")
# A problem in a course package, printed as `kiosk courses check` prints it: PATH:LINE first.
_PATH_LINE = re.compile(r"^.+:[0-9]+: ")


def hub(args: argparse.Namespace, _config: SiteConfig) -> int:
    verb = args.hub_command
    if verb is None or (verb in _WITH_VERBS and args.hub_verb is None):
        print(
            "usage: kiosk hub init-db|serve|enrol|revoke|config push|"
            "courses publish|list|rollback|status|stats export|staff add|reset|disable|list …",
            file=sys.stderr,
        )
        return EXIT_USAGE
    url = args.database or os.environ.get(DATABASE_VARIABLE, "")
    if not url:
        print(f"hub {verb}: give --database URL or set {DATABASE_VARIABLE}", file=sys.stderr)
        return EXIT_USAGE
    label = f"hub {verb}" + (f" {args.hub_verb}" if verb in _WITH_VERBS else "")
    try:
        return VERBS[verb](args, url)
    except admin.AdminError as error:
        # A config file's problems are printed as `kiosk check` prints them: FILE:LINE first.
        file_problem = f"{args.file}:" if verb == "config" else None
        for line in str(error).splitlines():
            as_is = (file_problem and line.startswith(file_problem)) or (
                verb == "courses" and _PATH_LINE.match(line)
            )
            print(line if as_is else f"{label}: {line}", file=sys.stderr)
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


def staff(args: argparse.Namespace, url: str) -> int:
    with _connect(url) as conn:
        return hub_staff.staff(args, conn)


def status(args: argparse.Namespace, url: str) -> int:
    limits = hub_status.limits(args)
    if limits is None:
        return EXIT_USAGE
    with _connect(url) as conn:
        terminals = fleet_status.terminals(conn)
    return hub_status.show(args, terminals, limits, datetime.now(UTC))


def courses(args: argparse.Namespace, url: str) -> int:
    with _connect(url) as conn:
        if args.hub_verb == "publish":
            for done in fleet.publish(conn, args.paths, args.site):
                p = done.publication
                print(
                    f"{p.course_id}: version {p.version} published as id {p.id} ({p.sites_text()})"
                    if done.new
                    else f"{p.course_id}: version {p.version} is published already as id {p.id} "
                    f"({p.sites_text()}); nothing new"
                )
        elif args.hub_verb == "rollback":
            print(fleet.rollback(conn, args.target, args.site).message())
        else:
            _list_courses(fleet.publications(conn), as_json=args.json)
    return EXIT_OK


def _list_courses(listed: list[fleet.Listed], *, as_json: bool) -> None:
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "id": item.publication.id,
                        "course": item.publication.course_id,
                        "version": item.publication.version,
                        "sites": None
                        if item.publication.sites is None
                        else list(item.publication.sites),
                        "withdrawn_sites": list(item.publication.withdrawn_sites),
                        "published": item.publication.published_at.isoformat(),
                        "withdrawn": None
                        if item.publication.withdrawn_at is None
                        else item.publication.withdrawn_at.isoformat(),
                        "state": item.state,
                        "offered_to": list(item.offered_to),
                        "sha256": item.publication.sha256,
                        "size": item.publication.size,
                    }
                    for item in listed
                ],
                indent=2,
            )
        )
        return
    if not listed:
        print("no course packages published")
        return
    header = ("id", "course", "version", "sites", "published", "state")
    lines = [header]
    for item in listed:
        p = item.publication
        lines.append(
            (
                str(p.id),
                p.course_id,
                str(p.version),
                p.sites_text(),
                p.published_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                item.state,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        )


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
    "courses": courses,
    "staff": staff,
}
