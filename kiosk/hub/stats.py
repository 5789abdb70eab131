"""City-wide usage figures from the hub: every site's tables and the city's, protected jointly.

Each site's table and the city table (their sum) are suppressed together
(kiosk.core.stats.joint), so no hidden count of a site can be recovered as the city total minus
the other sites, and a site's export and the city's export agree cell by cell. The files are
the same as a terminal's export (CSV, JSON, DCAT-AP.de), one folder per export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from psycopg import Connection

from kiosk.config import ConfigError, SiteConfig, parse_config
from kiosk.core.stats import dataset_info
from kiosk.core.stats.joint import JointTables, protect_jointly
from kiosk.core.stats.report import (
    PERIODS,
    TABLES,
    DatasetInfo,
    ExportError,
    Report,
    TableSpec,
    folder_name,
    period_starts,
    write_export,
)
from kiosk.hub.admin import site_config

Conn = Connection[tuple[Any, ...]]
DEFAULT_K = 5
CITY = "city"

_PERIOD_SQL = {
    "day": "substr(hour, 1, 10)",
    "week": "to_char(date_trunc('week', substr(hour, 1, 10)::date), 'YYYY-MM-DD')",
    "month": "substr(hour, 1, 7) || '-01'",
}


class StatsError(Exception):
    """The export cannot be made; nothing was written."""


@dataclass(frozen=True)
class CityFigures:
    """Every table of the report for each site and for the city, protected jointly."""

    first: date
    last: date
    period: str
    k: int
    sites: tuple[str, ...]
    tables: tuple[tuple[TableSpec, JointTables], ...]

    def report(self, site: str | None) -> Report:
        """The report of one site, or of the city (``None``)."""
        return Report(
            self.first,
            self.last,
            self.period,
            self.k,
            tuple(
                (spec, joint.city if site is None else joint.sites[site])
                for spec, joint in self.tables
            ),
        )


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


def city_figures(conn: Conn, first: date, last: date, period: str, k: int) -> CityFigures:
    if period not in PERIODS:
        raise StatsError(f"period must be one of {', '.join(PERIODS)}")
    sites = tuple(str(row[0]) for row in conn.execute("SELECT id FROM sites ORDER BY id"))
    if not sites:
        raise StatsError("no sites on this hub yet")
    starts = [start.isoformat() for start in period_starts(first, last, period)]
    index = {start: number for number, start in enumerate(starts)}
    low, high = f"{first.isoformat()}T00", f"{(last + timedelta(days=1)).isoformat()}T00"
    tables = []
    for spec in TABLES:
        category = spec.dimension or "''"
        rows = conn.execute(
            f"SELECT site, {_PERIOD_SQL[period]} AS period, {category} AS category, "  # noqa: S608
            "count(*) FROM usage_events WHERE hour >= %s AND hour < %s AND kind = ANY(%s) "
            "GROUP BY site, period, category",
            [low, high, list(spec.kinds)],
        ).fetchall()
        columns = sorted({str(row[2]) for row in rows}) if spec.dimension else ["all"]
        grids = {site: [[0] * len(columns) for _ in starts] for site in sites}
        for site, start, value, count in rows:
            column = columns.index(value) if spec.dimension else 0
            grids[site][index[start]][column] += int(count)
        tables.append((spec, protect_jointly(starts, columns, grids, k)))
    return CityFigures(first, last, period, k, sites, tuple(tables))


def export_city(
    conn: Conn,
    first: date,
    last: date,
    out: Path,
    *,
    period: str = "month",
    site: str | None = None,
) -> Path:
    """Write the figures of one site, or of the city, into a new folder under ``out``."""
    configs = _configs(conn)
    if (
        site is not None
        and conn.execute("SELECT 1 FROM sites WHERE id = %s", [site]).fetchone() is None
    ):
        raise StatsError(f"no site {site!r} on this hub")
    # The strictest threshold of all sites applies to all: the tables are protected together.
    k = max((config.stats.k for config in configs.values()), default=DEFAULT_K)
    figures = city_figures(conn, first, last, period, k)
    info = _info(configs, site)
    name = folder_name(first, last).replace("usage-", f"usage-{site or CITY}-", 1)
    try:
        return write_export(figures.report(site), info, out, name=name)
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
