"""Anonymised usage statistics: events, disclosure control and the export for the city."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.core.stats.events import EventKind, Format, UsageEvents, duration_bucket
from kiosk.core.stats.monthly import TABLES, Report, build_report
from kiosk.core.stats.periods import PERIODS, PeriodError, Span
from kiosk.core.stats.report import DatasetInfo, ExportError, write_export
from kiosk.core.stats.service import Dashboard, UsageStatistics
from kiosk.core.stats.suppression import ProtectedTable, protect

if TYPE_CHECKING:
    from kiosk.config import SiteConfig

__all__ = [
    "PERIODS",
    "TABLES",
    "Dashboard",
    "DatasetInfo",
    "EventKind",
    "ExportError",
    "Format",
    "PeriodError",
    "ProtectedTable",
    "Report",
    "Span",
    "UsageEvents",
    "UsageStatistics",
    "build_report",
    "dataset_info",
    "duration_bucket",
    "protect",
    "write_export",
]


def dataset_info(config: SiteConfig) -> DatasetInfo:
    stats = config.stats
    return DatasetInfo(
        site_name=config.site.name,
        publisher=stats.publisher or config.site.name,
        publisher_uri=stats.publisher_uri,
        municipality_key=stats.municipality_key,
        publish_url=stats.publish_url,
        contact_email=stats.contact_email,
    )
