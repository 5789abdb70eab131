"""The city figures of the staff web desk, without HTTP: a month's dashboard charts drawn as
inline SVG, and the export folder of `kiosk hub stats export` as a zip.

Every number comes from the published (protected) month tables (kiosk.hub.stats), never from
the events: a chart shows what an export of that month publishes, suppressed counts as gaps,
and no chart total is summed from cells. Only months that are over are published.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

from babel.dates import format_skeleton
from babel.numbers import format_decimal

from kiosk.core.i18n import language, localise_digits
from kiosk.core.stats.monthly import PublishedTable
from kiosk.core.stats.periods import PeriodError, month_end, publishable
from kiosk.hub.stats import Conn, StatsError, city_k, city_report, export_city

# The dashboard's three charts: visitors per day, and the month's courses and languages.
DAILY = "visitor_sessions"
RANKED = ("course_participants", "sessions_by_language")
# Drawing sizes in SVG user units; the page scales the picture to its column.
COLUMNS_SIZE = (720.0, 220.0)
ROWS_WIDTH = 720.0
ROW_HEIGHT = 30.0
LABEL_ROOM = 200.0  # the label column of a ranked chart
VALUE_ROOM = 60.0  # room for the number beside (or above) a bar
AXIS_ROOM = 24.0  # room for the day numbers under the columns
MOST_ROWS = 12  # the biggest categories of a ranked chart; the table lists them all


class FiguresError(ValueError):
    """The month cannot be shown or exported: ``reason`` is a key for the page's message."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Bar:
    """One bar as drawn: its label, its published value (None: suppressed), the value as the
    language writes it, and where it stands."""

    label: str
    value: int | None
    text: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Chart:
    """A chart of one published table: ``columns`` (one per day) or ``rows`` (ranked)."""

    table: str
    shape: str
    width: float
    height: float
    bars: tuple[Bar, ...]
    anchor: str  # text-anchor of the labels ("start" or "end": mirrored right to left)

    @property
    def empty(self) -> bool:
        """Nothing was counted (a hidden count is something: it is drawn as a gap)."""
        return all(bar.value == 0 for bar in self.bars)

    @property
    def suppressed(self) -> bool:
        return any(bar.value is None for bar in self.bars)


@dataclass(frozen=True)
class Figures:
    """One month of one site (None: the city, every site together)."""

    month: date
    site: str | None
    k: int
    charts: tuple[Chart, ...]


def last_month(today: date) -> date:
    """The first day of the last month that is over: the newest that can be published."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def parse_month(text: str) -> date | None:
    """A month as the month field sends it (YYYY-MM); None for anything else."""
    value = text.strip()
    if len(value) != 7 or value[4] != "-" or not value.replace("-", "").isdigit():
        return None
    try:
        return date(int(value[:4]), int(value[5:]), 1)
    except ValueError:
        return None


def month_figures(
    conn: Conn, month: date, site: str | None, today: date, code: str, *, rtl: bool
) -> Figures:
    """The month's charts of ``site`` (or the city) in language ``code``; FiguresError when
    the month is not over yet. The month is published by this (kept as every export's)."""
    k = city_k(conn)
    daily = _published(conn, month, "day", site, today, k)
    monthly = _published(conn, month, "month", site, today, k)
    charts = [_columns(DAILY, daily[DAILY], code, rtl=rtl)]
    for name in RANKED:
        charts.append(_rows(name, monthly[name], code, rtl=rtl))
    return Figures(month, site, k, tuple(charts))


def _published(
    conn: Conn, month: date, period: str, site: str | None, today: date, k: int
) -> dict[str, PublishedTable]:
    try:
        span = publishable(month, month_end(month), period, today)
    except PeriodError as error:
        raise FiguresError(error.reason, str(error)) from error
    report = city_report(conn, span, k, site)
    return {spec.name: table for spec, table in report.tables}


def number(value: int | None, code: str) -> str:
    """A count as the language writes it; a suppressed one as a dash."""
    if value is None:
        return "\u2013"
    return localise_digits(format_decimal(value, locale=language(code).babel_locale), code)


def _columns(name: str, table: PublishedTable, code: str, *, rtl: bool) -> Chart:
    """One column per day of the month, the day's number under it (mirrored right to left)."""
    width, height = COLUMNS_SIZE
    values = [table.value(row, len(table.columns)) for row in range(len(table.rows))]
    top = max((v for v in values if v is not None), default=0) or 1
    slot = width / max(len(values), 1)
    plot = height - AXIS_ROOM - 18  # room above the highest bar for its number
    bars = []
    locale = language(code).babel_locale
    for index, (day, value) in enumerate(zip(table.rows, values, strict=True)):
        position = len(values) - 1 - index if rtl else index
        bar_height = 0.0 if value is None else plot * value / top
        x = position * slot + slot * 0.15
        day_text = localise_digits(
            format_skeleton("d", date.fromisoformat(day), locale=locale), code
        )
        bars.append(
            Bar(
                label=day_text,
                value=value,
                text=number(value, code),
                x=x,
                y=height - AXIS_ROOM - bar_height,
                width=slot * 0.7,
                height=bar_height,
                label_x=x + slot * 0.35,
                label_y=height - 6,
                text_x=x + slot * 0.35,
                text_y=height - AXIS_ROOM - bar_height - 4,
            )
        )
    return Chart(name, "columns", width, height, tuple(bars), "middle")


def _rows(name: str, table: PublishedTable, code: str, *, rtl: bool) -> Chart:
    """The month's categories, biggest first, as horizontal bars growing away from their labels
    (from the right in right-to-left languages)."""
    values = [(column, table.value(0, index)) for index, column in enumerate(table.columns)]
    ranked = sorted(values, key=lambda item: (item[1] is None, -(item[1] or 0), item[0]))
    shown = [item for item in ranked if item[1] != 0][:MOST_ROWS]
    top = max((v for _c, v in shown if v is not None), default=0) or 1
    room = ROWS_WIDTH - LABEL_ROOM - VALUE_ROOM
    bars = []
    for index, (column, value) in enumerate(shown):
        length = 0.0 if value is None else room * value / top
        y = index * ROW_HEIGHT + 4
        middle = y + ROW_HEIGHT / 2 + 1
        if rtl:
            x = ROWS_WIDTH - LABEL_ROOM - length
            label_x, text_x = ROWS_WIDTH - LABEL_ROOM + 8, x - 6
        else:
            x = LABEL_ROOM
            label_x, text_x = LABEL_ROOM - 8, x + length + 6
        bars.append(
            Bar(
                label=_category(name, column),
                value=value,
                text=number(value, code),
                x=x,
                y=y + 3,
                width=length,
                height=ROW_HEIGHT - 10,
                label_x=label_x,
                label_y=middle + 4,
                text_x=text_x,
                text_y=middle + 4,
            )
        )
    height = max(len(bars), 1) * ROW_HEIGHT + 8
    return Chart(name, "rows", ROWS_WIDTH, height, tuple(bars), "start" if rtl else "end")


def _category(table: str, column: str) -> str:
    """A language by its own name; a course by its id in words ("video-calls": Video calls)."""
    if table == "sessions_by_language":
        try:
            return language(column).native_name
        except KeyError:
            return column
    words = column.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


# -- the export -----------------------------------------------------------------------------


def export_zip(
    conn: Conn,
    first: date,
    last: date,
    *,
    period: str,
    site: str | None,
    today: date | None = None,
) -> tuple[str, bytes]:
    """The folder `kiosk hub stats export` writes for these arguments, zipped (its name and
    the archive's bytes); FiguresError says why there is none (nothing is kept on disk)."""
    with tempfile.TemporaryDirectory(prefix="desk-export-") as temporary:
        try:
            folder, _span = export_city(
                conn, first, last, Path(temporary), period=period, site=site, today=today
            )
        except StatsError as error:
            raise FiguresError("export", str(error)) from error
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, Path(folder.name) / path.relative_to(folder))
    return f"{folder.name}.zip", buffer.getvalue()
