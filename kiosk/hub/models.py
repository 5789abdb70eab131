"""What terminals and the hub send each other: the request and answer bodies of the HTTP API.

Every model forbids unknown fields and bounds every string, list and number, so a malformed or
oversized body is refused with 422 before anything is written. Times carry a UTC offset.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from kiosk.core.bookings import NAME_MAX, REASON_MAX, BookingProblem
from kiosk.core.i18n import LANGUAGE_CODES
from kiosk.core.stats.events import DURATION_BUCKETS, LONGEST_BUCKET, EventKind, Format

# Values of closed vocabularies (language codes, course and step ids, device kinds, buckets).
Word = Annotated[str, Field(max_length=64, pattern=r"^[A-Za-z0-9_.-]*$")]
SiteId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")]
ResumeCodeText = Annotated[str, Field(pattern=r"^[ACDEFGHJKMNPQRTWXY34679]{8}$")]
ProgressId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
Hour = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}$")]


def _number_not_text_or_flag(value: object) -> object:
    """JSON's true is not the count 1, and "5" is not 5 (JSON Schema's integer, which 1.0 is)."""
    if isinstance(value, bool | str):
        raise ValueError("must be a number")
    return value


# Numbers and yes/no as JSON says them (found by fuzzing the schema). The framework hands the
# parsed JSON over, so a model's strict mode would also refuse UUIDs and times as strings.
# (Placed after a Field's limits, so they stay the schema's minimum and maximum.)
NUMBER = BeforeValidator(_number_not_text_or_flag)
Flag = Annotated[bool, Field(strict=True)]

MAX_EVENTS = 5000
MAX_PROGRESS = 500
MAX_BOOKINGS = 1000
MAX_COURSES = 200
MAX_STEPS = 500
# The closed vocabularies of usage events (kiosk.core.stats.events), checked as such.
EVENT_KINDS = tuple(kind.value for kind in EventKind)
LANGUAGES = ("", *LANGUAGE_CODES)
FORMATS = ("", *(item.value for item in Format))
DURATIONS = ("", *(name for _limit, name in DURATION_BUCKETS), LONGEST_BUCKET)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UsageEvent(Strict):
    """One anonymous usage event (kiosk.core.stats.events), with its outbox UUID."""

    id: UUID
    hour: Hour
    kind: Literal[EVENT_KINDS]  # type: ignore[valid-type]
    language: Literal[LANGUAGES] = ""  # type: ignore[valid-type]
    course_id: Word = ""
    device_kind: Word = ""
    format: Literal[FORMATS] = ""  # type: ignore[valid-type]
    duration: Literal[DURATIONS] = ""  # type: ignore[valid-type]


class StepState(Strict):
    step_id: Word
    quiz_correct: Flag | None = None


class CourseState(Strict):
    """One course of a progress record: where the visitor is, what they saw, quiz right/wrong."""

    course_id: Word
    course_version: Annotated[int, Field(ge=0, le=1_000_000), NUMBER]
    current_step: Word
    completed: Flag
    started_at: AwareDatetime
    updated_at: AwareDatetime
    steps: Annotated[list[StepState], Field(max_length=MAX_STEPS)]


class ProgressRecord(Strict):
    """A progress record with its resume code, as the hub keeps it and terminals pull it."""

    progress_id: ProgressId
    code: ResumeCodeText
    created_at: AwareDatetime
    expires_at: AwareDatetime
    updated_at: AwareDatetime
    courses: Annotated[list[CourseState], Field(max_length=MAX_COURSES)]


class ProgressChange(ProgressRecord):
    """A progress record as a terminal pushes it, with its outbox UUID."""

    id: UUID


# --- bookings ------------------------------------------------------------------------------

BookingUid = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
BookingCode = Annotated[str, Field(pattern=r"^[ACDEFGHJKMNPQRTWXY34679]{6}$")]
# A device's id and kind, as the site config names them (never empty).
DeviceId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
# Unix seconds from 1970 to 2200: any booking, and a bound every date calculation can take.
LATEST_TS = 7_258_118_400
Timestamp = Annotated[int, Field(ge=0, le=LATEST_TS), NUMBER]
# A visitor's name without the invisible characters the core refuses in names
# (kiosk.core.hidden_text: controls, NUL among them, and bidi overrides).
NAME_PATTERN = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$"
BookingName = Annotated[str, Field(max_length=NAME_MAX, pattern=NAME_PATTERN)]
# The hub keeps every status of a booking but "provisional", which exists only on a terminal
# (booked there while the hub could not be asked).
HUB_STATUSES = ("pending", "confirmed", "checked_in", "cancelled", "no_show", "conflict")
TERMINAL_STATUSES = (*HUB_STATUSES, "provisional")
HubStatus = Literal[HUB_STATUSES]  # type: ignore[valid-type]
TerminalStatus = Literal[TERMINAL_STATUSES]  # type: ignore[valid-type]
DEVICE_STATUSES = ("available", "needs_wiping", "broken", "in_repair")
DeviceStatusText = Literal[DEVICE_STATUSES]  # type: ignore[valid-type]
PROBLEMS = tuple(problem.value for problem in BookingProblem)


# A booking is a visitor's, or a block staff hold a device with (a workshop) and its reason.
BookingKindText = Literal["visit", "blocked"]
BlockReason = Annotated[str, Field(max_length=REASON_MAX, pattern=NAME_PATTERN)]


class BookingRecord(Strict):
    """A booking as the hub keeps it: pulled by every terminal of the site, and the answer to
    POST /v1/bookings. ``name`` is null once purged (and on a block)."""

    uid: BookingUid
    code: BookingCode
    device_id: DeviceId
    device_kind: DeviceId
    start_ts: Timestamp
    end_ts: Timestamp
    block_until_ts: Timestamp
    name: BookingName | None
    status: HubStatus
    walk_in: Flag
    moved: Flag
    updated_ts: Timestamp
    kind: BookingKindText = "visit"
    reason: BlockReason | None = None


class DeviceState(Strict):
    """A device's state as staff last set it at any terminal of the site."""

    device_id: DeviceId
    status: DeviceStatusText
    changed_ts: Timestamp


class BookingAsk(Strict):
    """POST /v1/bookings: a booking a terminal checked against the site's rules, for the hub to
    decide. The uid makes asking again (after a lost answer) harmless."""

    uid: BookingUid
    code: BookingCode
    device_id: DeviceId
    start_ts: Timestamp
    minutes: Annotated[int, Field(ge=1, le=1440), NUMBER]
    name: Annotated[str, Field(min_length=1, max_length=NAME_MAX, pattern=NAME_PATTERN)]
    walk_in: Flag = False


class FreeSlot(Strict):
    device_id: DeviceId
    start_ts: int
    end_ts: int


class BookingRefused(Strict):
    """409 of POST /v1/bookings: why not (a BookingProblem value) and the next free times,
    this device's first, then others of its kind."""

    error: Literal["refused"] = "refused"
    detail: str = ""
    problem: Literal[PROBLEMS]  # type: ignore[valid-type]
    alternatives: list[FreeSlot] = []


class PushedBooking(Strict):
    """A booking as a terminal made it (its local status may be "provisional")."""

    uid: BookingUid
    code: BookingCode
    device_id: DeviceId
    device_kind: DeviceId
    start_ts: Timestamp
    end_ts: Timestamp
    block_until_ts: Timestamp
    name: BookingName | None
    status: TerminalStatus
    walk_in: Flag
    moved: Flag
    updated_ts: Timestamp
    # Sent for a block only: a visit's body is the same as before blocks.
    kind: BookingKindText = "visit"
    reason: BlockReason | None = None


class CreateBooking(Strict):
    """A booking made on a terminal (offline, or while the hub's answer was lost)."""

    id: UUID
    op: Literal["create"]
    booking: PushedBooking


class ChangeStatus(Strict):
    """Staff or a visitor changed a booking's status (check-in, cancel, approve)."""

    id: UUID
    op: Literal["status"]
    uid: BookingUid
    status: HubStatus
    expected: Annotated[
        list[TerminalStatus], Field(min_length=1, max_length=len(TERMINAL_STATUSES))
    ]
    at_ts: Timestamp


class MoveBooking(Strict):
    """Staff gave a booking another device or time."""

    id: UUID
    op: Literal["move"]
    uid: BookingUid
    device_id: DeviceId
    start_ts: Timestamp
    end_ts: Timestamp
    block_until_ts: Timestamp
    status: TerminalStatus
    at_ts: Timestamp


class SetDevice(Strict):
    """Staff set a device's state."""

    id: UUID
    op: Literal["device"]
    device_id: DeviceId
    status: DeviceStatusText
    changed_ts: Timestamp


class DateExceptionRecord(Strict):
    """A site's date exception (kiosk.core.bookings.exceptions) by its day: closed all day, or
    open only from ``opens_minute`` to ``closes_minute`` (minutes from midnight, 1440 = 24:00);
    ``removed``: staff took it back. The last change wins."""

    day: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    closed: Flag
    opens_minute: Annotated[int, Field(ge=0, le=1439), NUMBER] | None
    closes_minute: Annotated[int, Field(ge=1, le=1440), NUMBER] | None
    note: Annotated[str, Field(max_length=200, pattern=NAME_PATTERN)]
    removed: Flag
    changed_ts: Timestamp


class SetException(DateExceptionRecord):
    """Staff added, changed or removed a date exception at a terminal."""

    id: UUID
    op: Literal["exception"]


BookingChange = Annotated[
    CreateBooking | ChangeStatus | MoveBooking | SetDevice | SetException,
    Field(discriminator="op"),
]


class PushBatch(Strict):
    """One batch of a terminal's outbox."""

    site: SiteId
    version: Annotated[str, Field(max_length=40, pattern=r"^[A-Za-z0-9_.+-]*$")] = ""
    backlog: Annotated[int, Field(ge=0, le=10**9), NUMBER] = 0
    events: Annotated[list[UsageEvent], Field(max_length=MAX_EVENTS)] = []
    progress: Annotated[list[ProgressChange], Field(max_length=MAX_PROGRESS)] = []
    # In the order the terminal made them: a booking's later changes follow its creation.
    bookings: Annotated[list[BookingChange], Field(max_length=MAX_BOOKINGS)] = []


class Rejected(Strict):
    id: UUID
    reason: Literal["code_taken"]


class PushResult(Strict):
    """How many rows were new and how many had arrived before (sent twice: no change)."""

    events_new: int
    events_duplicate: int
    progress_new: int
    progress_duplicate: int
    rejected: list[Rejected] = []
    # Booking changes taken in (applied, or refused by the hub: either way the terminal pulls
    # the outcome) and those that had arrived before.
    bookings_new: int = 0
    bookings_duplicate: int = 0


class Changes(Strict):
    """What changed for a terminal since its cursor; ask again from ``cursor`` while ``more``."""

    cursor: int
    more: bool
    progress: list[ProgressRecord]
    # Every booking and device state of the terminal's site that changed after the cursor.
    bookings: list[BookingRecord] = []
    devices: list[DeviceState] = []
    exceptions: list[DateExceptionRecord] = []


class ReserveRequest(Strict):
    """How many resume codes the terminal wants added to its reserve."""

    count: Annotated[int, Field(ge=1, le=50), NUMBER]


class ReservedCodes(Strict):
    codes: list[ResumeCodeText]


class Health(Strict):
    status: Literal["ok", "unavailable"]
    version: str


class Problem(Strict):
    """Every refusal: a short machine-readable reason and one readable line, never a traceback."""

    error: str
    detail: str = ""


def utc_iso(moment: datetime) -> str:
    return moment.isoformat()
