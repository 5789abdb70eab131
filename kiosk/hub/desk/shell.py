"""The desk's own pages: sign in, sign out, and the home page with the person's sites."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiosk.hub.desk import pages, sessions, web
from kiosk.hub.desk.web import PREFIX, Desk, desk_request

router = APIRouter()


def _login_page(
    request: Request,
    status_code: int = 200,
    problem: str | None = None,
    name: str = "",
) -> HTMLResponse:
    desk = web._anonymous(request)
    token = web.new_login_token()
    response = desk.render(
        "login.html",
        status_code,
        login_token=token,
        next_page=web.safe_next(request.query_params.get("next")),
        name=name,
        **({"problem_text": problem} if problem else {}),
    )
    response.set_cookie(
        web.LOGIN_COOKIE,
        token,
        path=f"{PREFIX}/login",
        httponly=True,
        samesite="strict",
        secure=web.is_https(request),
    )
    return response


@router.get(f"{PREFIX}/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    """The sign-in form (someone already signed in goes on to the desk)."""
    token = request.cookies.get(web.SESSION_COOKIE)
    if token:
        with web._anonymous(request).connection() as conn:
            if sessions.session(conn, token) is not None:
                return RedirectResponse(
                    web.safe_next(request.query_params.get("next")), status_code=303
                )
    return _login_page(request)


@router.post(f"{PREFIX}/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Check the name and password; on success a session cookie and on to the page asked
    for. Wrong and unknown names get the same answer, after the same time."""
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    name = fields.get("name", "").strip()
    desk = web._anonymous(request)
    if not sessions.same_csrf(fields.get("csrf"), request.cookies.get(web.LOGIN_COOKIE, "")):
        return web._refused_form(desk)
    address = request.client.host if request.client else "unknown"
    with web._database(desk):
        outcome = await run_in_threadpool(
            sessions.sign_in, web._state(request).pool, name, fields.get("password", ""), address
        )
    if outcome.wait_s:
        text = desk.ngettext(
            "Too many wrong tries. Please wait {seconds} second and try again.",
            "Too many wrong tries. Please wait {seconds} seconds and try again.",
            outcome.wait_s,
        ).format(seconds=desk.number(outcome.wait_s))
        page = _login_page(request, 429, text, name[:40])
        page.headers["Retry-After"] = str(outcome.wait_s)
        return page
    if outcome.token is None:
        return _login_page(
            request, 401, desk.gettext("The name or the password is not right."), name[:40]
        )
    response = RedirectResponse(web.safe_next(fields.get("next")), status_code=303)
    response.set_cookie(
        web.SESSION_COOKIE,
        outcome.token,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=web.is_https(request),
    )
    response.delete_cookie(web.LOGIN_COOKIE, path=f"{PREFIX}/login")
    return response


@router.post(f"{PREFIX}/logout")
def logout(
    request: Request,
    desk: Annotated[Desk, Depends(desk_request)],
    _form: Annotated[dict[str, str], Depends(web.checked_form)],
) -> Response:
    """End this browser's session."""
    with desk.connection() as conn:
        sessions.sign_out(conn, request.cookies.get(web.SESSION_COOKIE, ""), desk.user)
    response = RedirectResponse(f"{PREFIX}/login?done=signed_out", status_code=303)
    response.delete_cookie(
        web.SESSION_COOKIE,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=web.is_https(request),
    )
    return response


@router.get(f"{PREFIX}/", response_class=HTMLResponse)
def home(desk: Annotated[Desk, Depends(desk_request)]) -> Response:
    """Someone with one site goes straight to its bookings; others choose a site."""
    if len(desk.sites) == 1 and not desk.user.admin:
        return RedirectResponse(f"{PREFIX}/sites/{desk.sites[0]}/bookings", status_code=303)
    with desk.connection() as conn:
        names = {site: pages.site_name(desk, conn, site) for site in desk.sites}
    return desk.render("home.html", site_names=names)
