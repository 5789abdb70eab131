"""The web desk's planning pages (routes only): find a booking, a booking's own page (edit its
times or device, undo a no-show), and a site's device blocks and date exceptions. The data and
actions are kiosk.hub.desk.planning.

As every desk page: the signed-in person, the site checked (404, never 403), forms CSRF-checked,
one transaction per action (a refused one leaves nothing behind), then a redirect (303) to a
page that says what happened, so reloading never repeats the action.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kiosk.core.bookings import BookingKind, BookingProblem, BookingStatus
from kiosk.hub.desk import planning, texts
from kiosk.hub.desk.pages import Form, SiteId, Staff, Uid, flash, gone, helpers, site_desk_of
from kiosk.hub.desk.planning import NOTE_MAX, REASON_MAX, WEEKS_MAX, clean_text, search_filter
from kiosk.hub.desk.views import Outcome, SiteDesk, parse_clock, parse_day
from kiosk.hub.desk.web import PREFIX, Desk, DeskExit, site_allowed

router = APIRouter()
ExceptionId = Annotated[int, Path(ge=1, le=2**31 - 1)]
# The refused weeks of a block as the redirect carries them: "2025-03-04.overlap,…".
REFUSED_MAX = WEEKS_MAX


def _redirect(path: str, outcome: Outcome, **extra: str) -> RedirectResponse:
    query = {"done": outcome.done} if outcome.ok else {"problem": outcome.problem}
    if outcome.code:
        query["code"] = outcome.code
    query.update({key: value for key, value in extra.items() if value})
    return RedirectResponse(f"{path}?{urlencode(query)}", status_code=303)


def _run(desk: Desk, site: str, act: Callable[[SiteDesk], Outcome]) -> Outcome:
    """One action in one transaction; a refused one is rolled back whole."""
    site_allowed(desk, site)
    with desk.connection() as conn:
        outcome = act(site_desk_of(desk, conn, site))
        if not outcome.ok:
            conn.rollback()
    return outcome


def _device_names(desk: Desk, site_desk: SiteDesk) -> dict[str, str]:
    return {device.id: device.display_name(desk.language) for device in site_desk.devices}


# -- find ------------------------------------------------------------------------------------


@router.get(f"{PREFIX}/sites/{{site}}/find", response_class=HTMLResponse)
def find(desk: Staff, site: SiteId) -> Response:
    """Bookings by part of a first name or code, a device or a time, and status filters."""
    site_allowed(desk, site)
    query = desk.request.query_params
    text = query.get("q", "")[:REASON_MAX]
    only = search_filter(query.get("only", ""))
    asked = bool(text.strip()) or only is not None
    with desk.connection() as conn:
        site_desk = site_desk_of(desk, conn, site)
        found = (
            planning.find(site_desk, text, only, _device_names(desk, site_desk)) if asked else []
        )
    return desk.render(
        "find.html",
        site=site,
        text=text,
        only=only,
        asked=asked,
        found=found,
        **helpers(desk, site_desk),
    )


# -- one booking -----------------------------------------------------------------------------


@router.get(f"{PREFIX}/sites/{{site}}/bookings/{{uid}}", response_class=HTMLResponse)
def booking_page(desk: Staff, site: SiteId, uid: Uid) -> Response:
    """A booking (or device block) with what staff can change: its times and device, a
    no-show undone, and the links to move or cancel it."""
    site_allowed(desk, site)
    with desk.connection() as conn:
        site_desk = site_desk_of(desk, conn, site)
        booking = site_desk.booking(uid)
        if booking is None:
            raise DeskExit(desk.message(404, *gone(desk)))
    kind = [d for d in site_desk.devices if d.kind == booking.device_kind]
    return desk.render(
        "booking.html",
        site=site,
        booking=booking,
        devices=kind,
        blocked=booking.kind is BookingKind.BLOCKED,
        restorable=booking.status is BookingStatus.NO_SHOW,
        **helpers(desk, site_desk),
        **flash(desk),
    )


@router.post(f"{PREFIX}/sites/{{site}}/bookings/{{uid}}/edit")
def edit(desk: Staff, site: SiteId, uid: Uid, fields: Form) -> Response:
    """New start, end and device (of the booking's kind) as typed in; the code stays."""
    back = f"{PREFIX}/sites/{site}/bookings/{uid}"
    day = parse_day(fields.get("day", ""))
    start, end = parse_clock(fields.get("start", "")), parse_clock(fields.get("end", ""))
    if day is None or start is None or end is None:
        site_allowed(desk, site)
        return _redirect(back, Outcome(problem="bad_input"))

    def change(site_desk: SiteDesk) -> Outcome:
        zone = site_desk.zone
        begins, ends = datetime.combine(day, start, zone), datetime.combine(day, end, zone)
        if ends <= begins:
            return Outcome(problem=BookingProblem.TOO_SHORT.value)
        device_id = fields.get("device", "")
        return planning.edit(site_desk, desk.user, uid, begins, ends, device_id)

    return _redirect(back, _run(desk, site, change))


@router.post(f"{PREFIX}/sites/{{site}}/bookings/{{uid}}/restore")
def restore(desk: Staff, site: SiteId, uid: Uid, fields: Form) -> Response:
    """The visitor came late: the no-show is undone and they are checked in."""
    outcome = _run(
        desk, site, lambda site_desk: planning.restore_no_show(site_desk, desk.user, uid)
    )
    if fields.get("back") == "bookings":
        return _redirect(
            f"{PREFIX}/sites/{site}/bookings",
            outcome,
            day=fields.get("back_day", ""),
            view=fields.get("back_view", ""),
        )
    return _redirect(f"{PREFIX}/sites/{site}/bookings/{uid}", outcome)


# -- blocks and date exceptions --------------------------------------------------------------


@router.get(f"{PREFIX}/sites/{{site}}/plan", response_class=HTMLResponse)
def plan(desk: Staff, site: SiteId) -> Response:
    """The forms to block a device and to set a date exception, and the lists of both (each
    exception with the bookings it affects)."""
    site_allowed(desk, site)
    with desk.connection() as conn:
        site_desk = site_desk_of(desk, conn, site)
        shown = planning.plan(site_desk)
        today = site_desk.today()
    return desk.render(
        "plan.html",
        site=site,
        plan=shown,
        today=today,
        devices=site_desk.devices,
        reason_max=REASON_MAX,
        note_max=NOTE_MAX,
        weeks_max=WEEKS_MAX,
        **helpers(desk, site_desk),
        **flash(desk),
        **_block_report(desk),
    )


def _block_report(desk: Desk) -> dict[str, Any]:
    """After blocking: how many weeks were blocked, and each refused week with why (read from
    the address, but only as a count, days and known reasons)."""
    query = desk.request.query_params
    made = query.get("made", "")
    if query.get("done") != "blocked" or not made.isascii() or not made.isdigit():
        return {}
    count = int(made)
    said = desk.ngettext(
        "The device is blocked {n} time.", "The device is blocked {n} times.", count
    ).format(n=desk.number(count))
    refused: list[tuple[date, str]] = []
    for part in query.get("refused", "").split(",")[:REFUSED_MAX]:
        day_text, _, key = part.partition(".")
        day = parse_day(day_text)
        reason = texts.problem_text(key)
        if day is not None and reason is not None:
            refused.append((day, desk.gettext(reason)))
    return {"done_text": said, "refused": refused}


@router.post(f"{PREFIX}/sites/{{site}}/plan/blocks")
def block(desk: Staff, site: SiteId, fields: Form) -> Response:
    """Block a device from a start to an end time on a day, and the same in the next weeks."""
    back = f"{PREFIX}/sites/{site}/plan"
    site_allowed(desk, site)
    day = parse_day(fields.get("day", ""))
    start, end = parse_clock(fields.get("start", "")), parse_clock(fields.get("end", ""))
    weeks_text = fields.get("weeks", "1").strip()
    weeks = int(weeks_text) if weeks_text.isascii() and weeks_text.isdigit() else 0
    reason = clean_text(fields.get("reason", ""), REASON_MAX)
    if day is None or start is None or end is None or not 1 <= weeks <= WEEKS_MAX:
        return _redirect(back, Outcome(problem="bad_input"))
    if not reason:
        return _redirect(back, Outcome(problem="block_reason"))
    if end <= start:
        return _redirect(back, Outcome(problem=BookingProblem.TOO_SHORT.value))
    with desk.connection() as conn:
        site_desk = site_desk_of(desk, conn, site)
        zone = site_desk.zone
        result = planning.block(
            site_desk,
            desk.user,
            fields.get("device", ""),
            datetime.combine(day, start, zone),
            datetime.combine(day, end, zone),
            reason,
            weeks,
        )
        if not result.made:
            conn.rollback()
    if result.problem:
        return _redirect(back, Outcome(problem=result.problem))
    if not result.made:
        first = result.refused[0][1].value if result.refused else "bad_input"
        return _redirect(back, Outcome(problem=first))
    refused = ",".join(f"{day.isoformat()}.{problem.value}" for day, problem in result.refused)
    return _redirect(back, Outcome(done="blocked"), made=str(len(result.made)), refused=refused)


@router.post(f"{PREFIX}/sites/{{site}}/plan/blocks/{{uid}}/remove")
def unblock(desk: Staff, site: SiteId, uid: Uid, fields: Form) -> Response:
    outcome = _run(desk, site, lambda site_desk: planning.remove_block(site_desk, desk.user, uid))
    return _redirect(f"{PREFIX}/sites/{site}/plan", outcome)


@router.post(f"{PREFIX}/sites/{{site}}/plan/exceptions")
def add_exception(desk: Staff, site: SiteId, fields: Form) -> Response:
    """A closed day, or shorter hours on a day."""
    back = f"{PREFIX}/sites/{site}/plan"
    site_allowed(desk, site)
    day = parse_day(fields.get("day", ""))
    closed = fields.get("closed", "") == "yes"
    opens, closes = parse_clock(fields.get("opens", "")), parse_clock(fields.get("closes", ""))
    note = clean_text(fields.get("note", ""), NOTE_MAX)
    if day is None:
        return _redirect(back, Outcome(problem="bad_input"))
    if note is None:
        return _redirect(back, Outcome(problem="exception_note"))

    def add(site_desk: SiteDesk) -> Outcome:
        return planning.add_exception(
            site_desk,
            desk.user,
            day,
            closed=closed,
            opens=None if closed else opens,
            closes=None if closed else closes,
            note=note,
        )

    return _redirect(back, _run(desk, site, add))


@router.post(f"{PREFIX}/sites/{{site}}/plan/exceptions/{{exception_id}}/remove")
def remove_exception(
    desk: Staff, site: SiteId, exception_id: ExceptionId, fields: Form
) -> Response:
    outcome = _run(
        desk, site, lambda site_desk: planning.remove_exception(site_desk, desk.user, exception_id)
    )
    return _redirect(f"{PREFIX}/sites/{site}/plan", outcome)
