"""City-wide usage figures from the hub: every site's tables and the city's, protected jointly.

Each site's table and the city table (their sum) are suppressed together
(kiosk.core.stats.joint), so no hidden count of a site can be recovered as the city total minus
the other sites, and a site's export and the city's export agree cell by cell. As on a terminal
(kiosk.core.stats.periods), figures are published for whole days or calendar months of months
that are over, each from its month's protected tables, which are kept once published: a month
is the same in every export, also after a terminal that was offline sent its events late. The
files are the same as a terminal's export (CSV, JSON, DCAT-AP.de), one folder per export.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from psycopg import Connection

from kiosk.config import ConfigError, SiteConfig, parse_config
from kiosk.core.stats import dataset_info
from kiosk.core.stats.joint import JointTables, protect_jointly
from kiosk.core.stats.monthly import (
    Report,
    TableSpec,
    report_from,
    table_from_json,
    table_json,
)
from kiosk.core.stats.periods import PeriodError, Span, days_of, month_end, publishable
from kiosk.core.stats.report import DatasetInfo, ExportError, folder_name, write_export
from kiosk.core.stats.suppression import ProtectedTable
from kiosk.hub.admin import site_config

Conn = Connection[tuple[Any, ...]]
DEFAULT_K = 5
CITY = "city"


class StatsError(Exception):
    """The export cannot be made; nothing was written."""


def _configs(conn: Conn) -> dict[str, SiteConfig]:
    configs = {}
    for (site,) in conn.execute("SELECT id FROM sites ORDER BY id").fetchall():
        text = site_config(conn, site)
        if text is None:
            continue
        try:
            configs[site] = parse_config(text, f"hub:{site}")
        except ConfigError:
            continue  # checked when pushed; a newer kiosk may read it differently
    return configs


def city_k(conn: Conn) -> int:
    """The threshold of every table: the strictest site's (the tables are protected together)."""
    return max((config.stats.k for config in _configs(conn).values()), default=DEFAULT_K)


def _joint_json(joint: JointTables) -> str:
    return json.dumps(
        {
            "sites": {site: table_json(table) for site, table in joint.sites.items()},
            "city": table_json(joint.city),
        }
    )


def _joint_from_json(text: str) -> JointTables:
    data = json.loads(text)
    return JointTables(
        sites={site: table_from_json(body) for site, body in data["sites"].items()},
        city=table_from_json(data["city"]),
    )


def month_joint(conn: Conn, spec: TableSpec, month: date, k: int) -> JointTables:
    """The month's tables of every site and of the city: as published before, else made from
    the events and kept (the first export of a month fixes it for all later ones)."""
    kept = conn.execute(
        "SELECT body FROM published_months WHERE table_name = %s AND month = %s",
        [spec.name, month],
    ).fetchone()
    if kept is not None:
        return _joint_from_json(str(kept[0]))
    sites = [str(row[0]) for row in conn.execute("SELECT id FROM sites ORDER BY id")]
    days = [day.isoformat() for day in days_of(month)]
    category = spec.dimension or "''"
    rows = conn.execute(
        f"SELECT site, substr(hour, 1, 10) AS day, {category} AS category, "  # noqa: S608
        "count(*) FROM usage_events WHERE hour >= %s AND hour < %s AND kind = ANY(%s) "
        "GROUP BY site, day, category",
        [
            f"{days[0]}T00",
            f"{(month_end(month) + timedelta(days=1)).isoformat()}T00",
            list(spec.kinds),
        ],
    ).fetchall()
    columns = sorted({str(row[2]) for row in rows}) if spec.dimension else ["all"]
    index = {day: number for number, day in enumerate(days)}
    grids = {site: [[0] * len(columns) for _ in days] for site in sites}
    for site, day, value, count in rows:
        column = columns.index(value) if spec.dimension else 0
        grids[site][index[day]][column] += int(count)
    joint = protect_jointly(days, columns, grids, k)
    conn.execute(
        "INSERT INTO published_months (table_name, month, body) VALUES (%s, %s, %s) "
        "ON CONFLICT DO NOTHING",
        [spec.name, month, _joint_json(joint)],
    )
    # Two exports at once: the month kept first is the one both publish.
    stored = conn.execute(
        "SELECT body FROM published_months WHERE table_name = %s AND month = %s",
        [spec.name, month],
    ).fetchone()
    return joint if stored is None else _joint_from_json(str(stored[0]))


def _withheld(like: ProtectedTable) -> ProtectedTable:
    """A site that joined after the month was published: nothing of it is published."""
    n_rows, n_cols = len(like.rows), len(like.columns)
    return ProtectedTable(
        rows=like.rows,
        columns=like.columns,
        grid=tuple(tuple(0 for _ in range(n_cols + 1)) for _ in range(n_rows + 1)),
        hidden=frozenset((r, c) for r in range(n_rows + 1) for c in range(n_cols + 1)),
    )


def city_report(conn: Conn, span: Span, k: int, site: str | None) -> Report:
    """The report of one site, or of the city (``site`` None), for the whole periods of span."""

    def month_of(spec: TableSpec, month: date) -> ProtectedTable:
        joint = month_joint(conn, spec, month, k)
        if site is None:
            return joint.city
        return joint.sites.get(site) or _withheld(joint.city)

    return report_from(span, k, month_of)


def export_city(
    conn: Conn,
    first: date,
    last: date,
    out: Path,
    *,
    period: str = "month",
    site: str | None = None,
    today: date | None = None,
) -> tuple[Path, Span]:
    """Write the figures of one site, or of the city, into a new folder under ``out``; returns
    the folder and the whole periods it covers."""
    configs = _configs(conn)
    if (
        site is not None
        and conn.execute("SELECT 1 FROM sites WHERE id = %s", [site]).fetchone() is None
    ):
        raise StatsError(f"no site {site!r} on this hub")
    try:
        span = publishable(first, last, period, today or datetime.now().date())
    except PeriodError as error:
        raise StatsError(str(error)) from error
    # The strictest threshold of all sites applies to all: the tables are protected together.
    k = max((config.stats.k for config in configs.values()), default=DEFAULT_K)
    report = city_report(conn, span, k, site)
    conn.commit()  # the months published now are kept, whatever happens to the files
    info = _info(configs, site)
    name = folder_name(span.first, span.last).replace("usage-", f"usage-{site or CITY}-", 1)
    try:
        return write_export(report, info, out, name=name), span
    except ExportError as error:
        raise StatsError(str(error)) from error


def _info(configs: dict[str, SiteConfig], site: str | None) -> DatasetInfo:
    if site is not None and site in configs:
        return dataset_info(configs[site])
    if site is not None:
        return DatasetInfo(site, site, "", "", "")
    infos = [dataset_info(config) for config in configs.values()]

    def shared(values: list[str]) -> str:
        return values[0] if values and all(v == values[0] for v in values) else ""

    publisher = shared([info.publisher for info in infos])
    return DatasetInfo(
        site_name=f"{publisher or 'City'}: all sites",
        publisher=publisher or "City",
        publisher_uri=shared([info.publisher_uri for info in infos]),
        municipality_key=shared([info.municipality_key for info in infos]),
        publish_url="",
        contact_email=shared([info.contact_email for info in infos]),
    )
