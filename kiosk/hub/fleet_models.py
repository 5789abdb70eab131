"""What the hub and terminals exchange to run a fleet: the manifest of courses and config a
terminal's site is offered, a site config's text, and a terminal's health report.

Like kiosk.hub.models, every model forbids unknown fields and bounds every string, list and
number: a report is stored as sent, so nothing unbounded may get in.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BeforeValidator, Field

from kiosk.hub.models import NUMBER, Strict

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
CourseId = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")]
# Bounds well within a double's exact integers (2**53): JSON tools compare numbers as floats.
BIGGEST = 10**15
PublicationId = Annotated[int, Field(ge=1, le=BIGGEST), NUMBER]
CourseVersion = Annotated[int, Field(ge=1, le=1_000_000), NUMBER]
ConfigVersion = Annotated[int, Field(ge=1, le=2**31 - 1), NUMBER]
Count = Annotated[int, Field(ge=0, le=BIGGEST), NUMBER]  # of bytes or rows
# What went wrong, in a line or a few; the terminal shortens longer texts before sending.
# (No NUL character: PostgreSQL's jsonb, where reports are kept, cannot hold one.)
ProblemText = Annotated[str, Field(max_length=500, pattern=r"^[^\x00]*$")]
AppVersion = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.+-]+$")]
MAX_INSTALLED = 500


def _text_only(value: object) -> object:
    """A time is ISO-8601 text; a number would be taken as seconds since 1970."""
    if not isinstance(value, str):
        raise ValueError("must be an ISO-8601 time with its offset")
    return value


Moment = Annotated[AwareDatetime, BeforeValidator(_text_only)]


class ConfigOffer(Strict):
    """The newest config of the terminal's site: its version and the SHA-256 of its text."""

    version: ConfigVersion
    sha256: Sha256


class CourseOffer(Strict):
    """A course package the terminal's site is offered (GET /v1/courses/{id}/archive)."""

    id: PublicationId
    course_id: CourseId
    version: CourseVersion
    sha256: Sha256
    size: Count


class FleetManifest(Strict):
    """What a terminal should have: its site's config (null: none pushed) and courses."""

    config: ConfigOffer | None
    courses: list[CourseOffer]


class SiteConfigBody(Strict):
    """The newest config of the terminal's site, as pushed with `kiosk hub config push`."""

    version: ConfigVersion
    sha256: Sha256
    body: str


class InstalledCourse(Strict):
    """A course package a terminal installed from the hub."""

    course_id: CourseId
    id: PublicationId
    version: CourseVersion


class HealthReport(Strict):
    """How a terminal is doing, sent about once a minute; every field is always present."""

    app_version: AppVersion
    reported_at: Moment  # the terminal's clock
    last_sync: Moment | None  # the last round the hub answered
    outbox_backlog: Count
    database: Literal["ok", "damaged", "unknown"]  # PRAGMA quick_check, at most hourly
    database_checked_at: Moment | None
    last_backup: Moment | None
    disk_free_bytes: Count  # of the file system of the data folder
    disk_total_bytes: Count
    courses: Annotated[list[InstalledCourse], Field(max_length=MAX_INSTALLED)]
    courses_problem: ProblemText  # the last refused install; "" when none
    config_version: ConfigVersion | None  # the hub config in use
    config_problem: ProblemText  # the last refused config; "" when none
    printer: Literal["ready", "busy", "error", "none", "unknown"]
    last_crash: Moment | None  # the kiosk ended without shutting down cleanly
    last_error: ProblemText | None  # an unexpected error the kiosk recovered from
