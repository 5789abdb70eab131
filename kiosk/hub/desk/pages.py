"""The staff web desk's pages (routes only): a site's bookings by day or week with phone
booking, cancel, check in and move; the conflicts queue; the fleet; the city figures and their
zip export. The data and actions are kiosk.hub.desk.views and .figures.

Every page takes the signed-in person (desk_request) and checks the site (site_allowed: 404,
never 403). A form posts, is CSRF-checked (checked_form), acts in one transaction and
redirects (303) to a page that says what happened (`?done=` / `?problem=`), so reloading the
page never repeats the action.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kiosk.core.bookings import Booking, BookingKind, Slot
from kiosk.core.i18n import format_date, format_time
from kiosk.core.stats.periods import month_end
from kiosk.hub.desk import texts
from kiosk.hub.desk.figures import FiguresError, export_zip, last_month, month_figures, parse_month
from kiosk.hub.desk.views import (
    NoRulesError,
    Outcome,
    SiteDesk,
    fleet,
    parse_clock,
    parse_day,
    parse_minutes,
)
from kiosk.hub.desk.web import PREFIX, Desk, DeskExit, checked_form, desk_request, site_allowed
from kiosk.hub.site_rules import SiteRulesCache
from kiosk.hub.stats import CITY, Conn

router = APIRouter()
SiteId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
Uid = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
Form = Annotated[dict[str, str], Depends(checked_form)]
Staff = Annotated[Desk, Depends(desk_request)]
CODE = re.compile(r"^[0-9A-Z]{3}-[0-9A-Z]{3}$")


def _rules(request: Request) -> SiteRulesCache:
    """Parsed site configs, kept for the app's life (one per app, not per process)."""
    state = request.app.state
    if not hasattr(state, "desk_rules"):
        state.desk_rules = SiteRulesCache()
    cache: SiteRulesCache = state.desk_rules
    return cache


def site_name(desk: Desk, conn: Conn, site: str) -> str:
    """The site as people know it ([site] name of its newest config); its id without one."""
    rules = _rules(desk.request).rules(conn, site)
    return (rules.name if rules is not None else "") or site


def site_desk_of(desk: Desk, conn: Conn, site: str) -> SiteDesk:
    try:
        return SiteDesk(conn, site, cache=_rules(desk.request))
    except NoRulesError:
        raise DeskExit(
            desk.message(
                409,
                desk.gettext("No bookings at this site yet"),
                desk.gettext(
                    "The hub has no site config of this site. An administrator pushes it with "
                    "kiosk hub config push."
                ),
            )
        ) from None


def helpers(desk: Desk, site_desk: SiteDesk | None = None) -> dict[str, Any]:
    """What templates use to write times, days, states and names in the person's language."""
    code = desk.language

    def device_name(device_id: str) -> str:
        device = None if site_desk is None else site_desk.service.device(device_id)
        return device_id if device is None else device.display_name(code)

    return {
        "time_of": lambda moment: format_time(moment, code),
        "day_of": lambda day: texts.day_title(day, code, "EEEEMMMMd"),
        "short_day": lambda day: texts.day_title(day, code),
        "long_date": lambda day: format_date(day, code),
        "status_of": lambda booking: desk.gettext(
            texts.BLOCKED if _blocked(booking) else texts.BOOKING_STATUS[booking.status]
        ),
        "device_status": lambda status: desk.gettext(texts.DEVICE_STATUS[status]),
        # A block has no visitor: its reason ("Workshop") stands where the name would.
        "name_of": lambda booking: (
            (booking.reason or "" if _blocked(booking) else booking.name)
            or desk.gettext("(name deleted)")
        ),
        # The site as people know it ([site] name of its config); its id where there is none.
        "site_name": (site_desk.rules.name if site_desk is not None else "") or "",
        "device_name": device_name,
        "number": desk.number,
        "isolated": texts.isolated,
        "slot_value": _slot_value,
        "search_filters": [
            (key, desk.gettext(label)) for key, label in texts.SEARCH_FILTERS.items()
        ],
        "now": site_desk.service.now() if site_desk is not None else None,
    }


def _blocked(booking: Booking) -> bool:
    return booking.kind is BookingKind.BLOCKED


def _slot_value(slot: Slot) -> str:
    return f"{slot.device_id}|{slot.start.strftime('%Y-%m-%dT%H:%M')}"


def flash(desk: Desk) -> dict[str, Any]:
    """The done message with the booking's code in it, when the redirect named one."""
    done, code = desk.request.query_params.get("done", ""), desk.request.query_params.get("code")
    if done in texts.DONE_WITH_CODE and code and CODE.match(code):
        return {"done_text": desk.gettext(texts.DONE_WITH_CODE[done]).format(code=code)}
    return {}


def _back(site: str, fields: dict[str, str], outcome: Outcome, **extra: str) -> RedirectResponse:
    """To the page the form was on, with what happened."""
    page = "conflicts" if fields.get("back") == "conflicts" else "bookings"
    query: dict[str, str] = {}
    if page == "bookings":
        for key in ("day", "view", "device", "minutes"):
            value = extra.get(key) or fields.get(f"back_{key}", "")
            if value:
                query[key] = value
    query.update({"done": outcome.done} if outcome.ok else {"problem": outcome.problem})
    if outcome.code:
        query["code"] = outcome.code
    return RedirectResponse(f"{PREFIX}/sites/{site}/{page}?{urlencode(query)}", status_code=303)


# -- bookings --------------------------------------------------------------------------------


@router.get(f"{PREFIX}/sites/{{site}}/bookings", response_class=HTMLResponse)
def bookings(desk: Staff, site: SiteId) -> Response:
    """The day's (or week's) bookings per device, and the phone booking form."""
    site_allowed(desk, site)
    query = desk.request.query_params
    with desk.connection() as conn:
        site_desk = site_desk_of(desk, conn, site)
        day = parse_day(query.get("day", "")) or site_desk.today()
        week = query.get("view") == "week"
        agenda = site_desk.agenda(day, week=week, language=desk.language)
        device = site_desk.service.device(query.get("device", "")) or site_desk.devices[0]
        minutes = parse_minutes(query.get("minutes", ""))
        if minutes not in device.durations():
            minutes = device.min_minutes
        free = site_desk.free_times(device.id, day, minutes)
    return desk.render(
        "bookings.html",
        site=site,
        agenda=agenda,
        day=day,
        week=week,
        chosen=device,
        minutes=minutes,
        free=free,
        devices=site_desk.devices,
        active=_active,
        **helpers(desk, site_desk),
        **flash(desk),
    )


def _active(booking: Booking) -> bool:
    return booking.active


def _act(
    desk: Desk, site: str, fields: dict[str, str], act: Callable[[SiteDesk], Outcome], **extra: str
) -> Response:
    site_allowed(desk, site)
    with desk.connection() as conn:
        outcome = act(site_desk_of(desk, conn, site))
        if not outcome.ok:
            conn.rollback()  # a refused action leaves nothing behind (not even a released no-show)
    return _back(site, fields, outcome, **extra)


@router.post(f"{PREFIX}/sites/{{site}}/bookings/phone")
def phone_booking(desk: Staff, site: SiteId, fields: Form) -> Response:
    """Book a free time for someone on the phone (a first name only)."""
    day = parse_day(fields.get("day", ""))
    start = parse_clock(fields.get("time", ""))
    minutes = parse_minutes(fields.get("minutes", ""))
    device_id = fields.get("device", "")
    back = {"day": fields.get("day", ""), "device": device_id, "minutes": fields.get("minutes", "")}
    if day is None or start is None or minutes is None:
        site_allowed(desk, site)
        return _back(site, fields, Outcome(problem="bad_input"), **back)

    def book(site_desk: SiteDesk) -> Outcome:
        moment = datetime.combine(day, start, site_desk.zone)
        return site_desk.phone_booking(
            desk.user, device_id, moment, minutes, fields.get("name", "")
        )

    return _act(desk, site, fields, book, **back)


@router.post(f"{PREFIX}/sites/{{site}}/bookings/{{uid}}/cancel")
def cancel(desk: Staff, site: SiteId, uid: Uid, fields: Form) -> Response:
    return _act(desk, site, fields, lambda site_desk: site_desk.cancel(desk.user, uid))


@router.post(f"{PREFIX}/sites/{{site}}/bookings/{{uid}}/check-in")
def check_in(desk: Staff, site: SiteId, uid: Uid, fields: Form) -> Response:
    return _act(desk, site, fields, lambda site_desk: site_desk.check_in(desk.user, uid))


@router.get(f"{PREFIX}/sites/{{site}}/bookings/{{uid}}/move", response_class=HTMLResponse)
def move_form(desk: Staff, site: SiteId, uid: Uid) -> Response:
    """The booking's next free times (one click each) and a form for any other time."""
    site_allowed(desk, site)
    with desk.connection() as conn:
        site_desk = site_desk_of(desk, conn, site)
        booking = site_desk.booking(uid)
        if booking is None:
            raise DeskExit(desk.message(404, *gone(desk)))
        choices = site_desk.move_choices(booking)
    kind = [d for d in site_desk.devices if d.kind == booking.device_kind]
    return desk.render(
        "move.html",
        site=site,
        booking=booking,
        choices=choices,
        devices=kind,
        back=desk.request.query_params.get("back", ""),
        **helpers(desk, site_desk),
    )


def gone(desk: Desk) -> tuple[str, str]:
    return (
        desk.gettext("Booking not found"),
        desk.gettext("This booking does not exist (any more) at this site."),
    )


@router.post(f"{PREFIX}/sites/{{site}}/bookings/{{uid}}/move")
def move(desk: Staff, site: SiteId, uid: Uid, fields: Form) -> Response:
    """Move to one of the offered times (``slot``) or to a device, day and time typed in."""
    device_id, day, start = _target(fields)
    if day is None or start is None:
        site_allowed(desk, site)
        return _back(site, fields, Outcome(problem="bad_input"))

    def reschedule(site_desk: SiteDesk) -> Outcome:
        moment = datetime.combine(day, start, site_desk.zone)
        return site_desk.move(desk.user, uid, device_id, moment)

    return _act(desk, site, fields, reschedule, day=day.isoformat())


def _target(fields: dict[str, str]) -> tuple[str, date | None, Any]:
    if "slot" in fields:
        device_id, _, when = fields["slot"].partition("|")
        day_text, _, time_text = when.partition("T")
        return device_id, parse_day(day_text), parse_clock(time_text)
    return (
        fields.get("device", ""),
        parse_day(fields.get("day", "")),
        parse_clock(fields.get("time", "")),
    )


# -- conflicts -------------------------------------------------------------------------------


@router.get(f"{PREFIX}/sites/{{site}}/conflicts", response_class=HTMLResponse)
def conflicts(desk: Staff, site: SiteId) -> Response:
    """Bookings the hub gave to no one, with their next free times as one-click moves."""
    site_allowed(desk, site)
    with desk.connection() as conn:
        site_desk = site_desk_of(desk, conn, site)
        found = site_desk.conflicts()
    return desk.render(
        "conflicts.html", site=site, conflicts=found, **helpers(desk, site_desk), **flash(desk)
    )


# -- the fleet -------------------------------------------------------------------------------


@router.get(f"{PREFIX}/fleet", response_class=HTMLResponse)
def fleet_page(desk: Staff) -> Response:
    """Every terminal of the person's sites: when last seen, versions, backlog and flags."""
    now = datetime.now().astimezone()
    with desk.connection() as conn:
        rows = fleet(conn, desk.user, now)

    def flag_text(flag: str) -> str:
        return desk.gettext(texts.FLAGS.get(flag, flag))

    def printer_text(state: str) -> str:
        return desk.gettext(texts.PRINTER.get(state, state))

    def seen(moment: datetime | None) -> str:
        if moment is None:
            return desk.gettext("never")
        local = moment.astimezone()
        return f"{texts.day_title(local.date(), desk.language)} {format_time(local, desk.language)}"

    return desk.render(
        "fleet.html",
        rows=rows,
        flag_text=flag_text,
        printer_text=printer_text,
        seen=seen,
        gigabytes=lambda count: texts.gigabytes(count, desk.language),
        **helpers(desk),
    )


# -- figures ---------------------------------------------------------------------------------


def _figures_site(desk: Desk, text: str | None) -> str | None:
    """The site asked for (None: the city, for administrators); a site the person may not see
    ends with 404, as every site page."""
    if text in (None, "", CITY) and desk.user.admin:
        return None
    site = text or (desk.sites[0] if desk.sites else "")
    site_allowed(desk, site)
    return site


@router.get(f"{PREFIX}/figures", response_class=HTMLResponse)
def figures(desk: Staff) -> Response:
    """A month's charts (of the city or a site) and the export form."""
    query = desk.request.query_params
    site = _figures_site(desk, query.get("site"))
    today = date.today()
    month = parse_month(query.get("month", "")) or last_month(today)
    shown, problem = None, ""
    with desk.connection() as conn:
        try:
            shown = month_figures(conn, month, site, today, desk.language, rtl=desk.rtl)
        except FiguresError as error:
            problem = desk.gettext(texts.FIGURES_PROBLEMS.get(error.reason, texts.NOT_PUBLISHED))
    flash: dict[str, Any] = {"problem_text": problem} if problem else {}
    return desk.render(
        "stats.html",
        figures=shown,
        month=month,
        site=site,
        city=CITY,
        latest=last_month(today),
        month_last=month_end(month),
        month_title=texts.day_title(month, desk.language, "yMMMM"),
        chart_titles={key: desk.gettext(title) for key, title in texts.CHARTS.items()},
        **helpers(desk),
        **flash,
    )


@router.get(f"{PREFIX}/figures/export.zip")
def export(desk: Staff) -> Response:
    """The export folder of `kiosk hub stats export` for these figures, as a zip download."""
    query = desk.request.query_params
    site = _figures_site(desk, query.get("site"))
    first, last = parse_day(query.get("from", "")), parse_day(query.get("to", ""))
    period = query.get("period", "month")
    back = f"{PREFIX}/figures?" + urlencode({"site": site or CITY})
    if first is None or last is None:
        return RedirectResponse(f"{back}&problem=bad_input", status_code=303)
    with desk.connection() as conn:
        try:
            name, body = export_zip(conn, first, last, period=period, site=site)
        except FiguresError:
            return RedirectResponse(f"{back}&problem=export_refused", status_code=303)
    return Response(
        body,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
