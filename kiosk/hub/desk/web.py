"""The desk's shell in the hub's app: who is signed in (Desk), CSRF-checked forms, site rights,
rendering in the person's language, the sign-in pages and the security headers of /desk/."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import jinja2
import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from psycopg import Connection
from psycopg_pool import ConnectionPool
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles

from kiosk.core.i18n import LANGUAGE_CODES, LANGUAGES, N_, Language, localise_digits
from kiosk.hub.desk import i18n, sessions
from kiosk.hub.desk.accounts import StaffUser

log = logging.getLogger("kiosk.hub.desk")
Conn = Connection[tuple[Any, ...]]
Pool = ConnectionPool[Connection[tuple[Any, ...]]]
HERE = Path(__file__).resolve().parent
PREFIX = "/desk"
SESSION_COOKIE = "desk_session"
LOGIN_COOKIE = "desk_login"  # the sign-in form's own CSRF token, before there is a session

# What `?done=<key>` and `?problem=<key>` show after a redirect; pages add theirs with
# add_flash(). An unknown key shows nothing: the text never comes from the address.
FLASHES: dict[str, str] = {
    "signed_out": N_("You are signed out."),
}


def add_flash(key: str, message: str) -> str:
    """Register the message (an English msgid marked with N_) that `?done=key` or
    `?problem=key` shows; returns the key."""
    FLASHES[key] = message
    return key


class DeskExit(Exception):  # noqa: N818 - not an error: a finished answer
    """Ends a desk request with a ready response (a redirect, a refusal page)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


@dataclass
class DeskState:
    """What every desk request shares: the database and the templates."""

    pool: Pool
    templates: jinja2.Environment = field(
        default_factory=lambda: jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
    )


def _state(request: Request) -> DeskState:
    state: DeskState = request.app.state.desk
    return state


@dataclass(frozen=True)
class Nav:
    """The navigation bar: the sites the person may open, the one in view, the path."""

    sites: tuple[str, ...]
    site: str | None
    path: str

    def current(self, href: str) -> bool:
        return self.path == href or self.path.startswith(href + "/")


class Desk:
    """A desk request of a signed-in person (or, for the sign-in page, of nobody yet)."""

    def __init__(
        self,
        request: Request,
        language: Language,
        user: StaffUser | None = None,
        csrf: str = "",
        sites: tuple[str, ...] = (),
    ) -> None:
        self.request = request
        self._language = language
        self._translator = i18n.translator(language.code)
        self._user = user
        self.csrf = csrf
        # Admin: every site on the hub; else the person's own (that exist or not).
        self.sites = sites

    @property
    def user(self) -> StaffUser:
        if self._user is None:
            raise RuntimeError("no one is signed in on this request")
        return self._user

    @property
    def language(self) -> str:
        return self._language.code

    @property
    def rtl(self) -> bool:
        return self._language.is_rtl

    @property
    def pool(self) -> Pool:
        return _state(self.request).pool

    @contextmanager
    def connection(self) -> Iterator[Conn]:
        """A database transaction; a database that is down shows the 503 page."""
        with _database(self), self.pool.connection() as conn:
            yield conn

    def gettext(self, msgid: str) -> str:
        return self._translator.gettext(msgid)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translator.ngettext(singular, plural, n)

    def number(self, value: int) -> str:
        """A count in the language's digits (Persian: ۱۲)."""
        return localise_digits(str(value), self.language)

    def nav(self) -> Nav:
        site = self.request.path_params.get("site")
        if site not in self.sites:
            site = self.sites[0] if self.sites else None
        return Nav(self.sites, site, self.request.url.path)

    def language_links(self) -> list[tuple[Language, str]]:
        """Each language with the address of this page in it (`?lang=xx`, other query kept)."""
        query = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        path = self.request.url.path
        return [(lang, f"{path}?{urlencode([*query, ('lang', lang.code)])}") for lang in LANGUAGES]

    def _flash(self, key: str) -> str | None:
        msgid = FLASHES.get(self.request.query_params.get(key, ""))
        return None if msgid is None else self.gettext(msgid)

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        """A page in the person's language. Pages may pass ``done_text`` or ``problem_text``
        (already translated) to show a message without a redirect."""
        base: dict[str, Any] = {
            "desk": self,
            "_": self.gettext,
            "gettext": self.gettext,
            "ngettext": self.ngettext,
            "csrf": self.csrf,
            "user": self._user,
            "nav": self.nav() if self._user is not None else None,
            "done_text": self._flash("done"),
            "problem_text": self._flash("problem"),
        }
        base.update(context)
        html = _state(self.request).templates.get_template(template).render(base)
        return HTMLResponse(html, status_code=status_code)

    def message(self, status_code: int, title: str, text: str) -> HTMLResponse:
        """A page that only says something (refusals, errors); title and text translated."""
        return self.render("message.html", status_code, title=title, text=text)


def _language(request: Request) -> Language:
    return i18n.pick(request.cookies.get(i18n.COOKIE), request.headers.get("accept-language"))


def _anonymous(request: Request) -> Desk:
    return Desk(request, _language(request))


@contextmanager
def _database(desk: Desk) -> Iterator[None]:
    try:
        yield
    except (psycopg.OperationalError, psycopg.errors.AdminShutdown) as error:
        log.warning("database unavailable: %s", type(error).__name__)
        raise DeskExit(
            desk.message(
                503,
                desk.gettext("The desk is not available"),
                desk.gettext("The hub cannot reach its database. Please try again in a minute."),
            )
        ) from None


def desk_request(request: Request) -> Desk:
    """The signed-in person's Desk (FastAPI dependency); without a live session, a redirect to
    the sign-in page that comes back here afterwards."""
    known: Desk | None = getattr(request.state, "desk", None)
    if known is not None:
        return known
    anonymous = _anonymous(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    found = None
    if token:
        with anonymous.connection() as conn:
            found = sessions.session(conn, token)
            if found is not None:
                sites = _visible_sites(conn, found.user)
    if found is None:
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target = f"{PREFIX}/login"
        if request.method == "GET" and back != f"{PREFIX}/":
            target += "?" + urlencode({"next": back})
        raise DeskExit(RedirectResponse(target, status_code=303))
    desk = Desk(request, anonymous._language, found.user, found.csrf, sites)
    request.state.desk = desk
    return desk


def _visible_sites(conn: Conn, user: StaffUser) -> tuple[str, ...]:
    if user.admin:
        return tuple(str(row[0]) for row in conn.execute("SELECT id FROM sites ORDER BY id"))
    return user.sites


async def checked_form(request: Request) -> dict[str, str]:
    """The POSTed form of a signed-in person, its CSRF token checked (FastAPI dependency, or
    awaited); a missing or wrong token ends the request with a 403 page and changes nothing."""
    desk = await run_in_threadpool(desk_request, request)
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    if not sessions.same_csrf(fields.pop("csrf", None), desk.csrf):
        raise DeskExit(_refused_form(desk))
    return fields


def _refused_form(desk: Desk) -> HTMLResponse:
    return desk.message(
        403,
        desk.gettext("The form was refused"),
        desk.gettext(
            "This form did not come from the desk page you have open, or it is too old. "
            "Nothing was changed. Please open the page again and repeat."
        ),
    )


def site_allowed(desk: Desk, site: str) -> None:
    """Ends the request with 404 unless the person may see the site: a 403 would tell a
    guesser that the site exists."""
    if site not in desk.sites or not desk.user.may_see(site):
        raise DeskExit(not_found(desk))


def not_found(desk: Desk) -> HTMLResponse:
    return desk.message(
        404,
        desk.gettext("Page not found"),
        desk.gettext("There is no such page, or it is not yours to see."),
    )


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a desk page of this hub, never another host."""
    if target and target.startswith(f"{PREFIX}/") and "\\" not in target and "//" not in target:
        return target
    return f"{PREFIX}/"


def add_desk(app: FastAPI, pool: Pool) -> None:
    """Mount the staff desk on the hub's app: /desk/... pages and /desk/static."""
    # Imported here: the pages build on this module (Desk, desk_request, checked_form).
    from kiosk.hub.desk import pages, plan_pages, shell

    app.state.desk = DeskState(pool)
    app.add_middleware(DeskHeaders)
    app.add_exception_handler(DeskExit, _exit)
    _desk_pages_answer_in_html(app)
    # The pages' routes carry their full paths (/desk/...); they come first, so that a page
    # of theirs at /desk/ would replace the shell's home.
    # Not in the OpenAPI schema: that describes the terminals' API (and is what is fuzzed).
    app.include_router(pages.router, include_in_schema=False)
    app.include_router(plan_pages.router, include_in_schema=False)
    app.include_router(shell.router, include_in_schema=False)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="desk_static")


async def _exit(_request: Request, error: Exception) -> Response:
    assert isinstance(error, DeskExit)  # noqa: S101 - registered for DeskExit only
    return error.response


Handler = Callable[[Request, Any], Awaitable[Response] | Response]


def _desk_pages_answer_in_html(app: FastAPI) -> None:
    """The framework's refusals (an unknown address, a query that does not parse) and
    unexpected errors as a desk page under /desk/, as JSON everywhere else (terminals)."""

    def wrap(kind: type[Exception] | int) -> None:
        api_handler: Handler | None = app.exception_handlers.get(kind)

        async def handler(request: Request, error: Any) -> Response:
            if request.url.path.startswith(f"{PREFIX}/") and not request.url.path.startswith(
                f"{PREFIX}/static/"
            ):
                return await run_in_threadpool(_error_page, request, error)
            if api_handler is None:
                raise error
            answer = api_handler(request, error)
            return answer if isinstance(answer, Response) else await answer

        app.add_exception_handler(kind, handler)

    for kind in (StarletteHTTPException, RequestValidationError, Exception):
        wrap(kind)


def _error_page(request: Request, error: Exception) -> Response:
    desk = _anonymous(request)
    if isinstance(error, StarletteHTTPException):
        if error.status_code == 404:
            # Someone not signed in is sent to sign in, as on every desk page: what exists
            # under /desk/ is not for them to find out.
            try:
                desk = desk_request(request)
            except DeskExit as redirect:
                return redirect.response
            return not_found(desk)
        return desk.message(
            error.status_code,
            desk.gettext("This did not work"),
            desk.gettext("The desk cannot do this. Please go back and try again."),
        )
    if isinstance(error, RequestValidationError):
        return desk.message(
            400,
            desk.gettext("This did not work"),
            desk.gettext("The address of this page is not complete or not right."),
        )
    log.error("unexpected error on a desk page", exc_info=error)
    return desk.message(
        500,
        desk.gettext("Something went wrong"),
        desk.gettext("The desk could not finish this. Perhaps nothing was saved; please check."),
    )


# Every /desk/ answer: never cached (a shared office PC), never framed (clickjacking), no
# scripts or styles from anywhere but the hub, no address of a desk page sent onwards.
SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
]


class DeskHeaders:
    """ASGI middleware for /desk/: the security headers, and `?lang=xx`, which sets the
    language cookie and comes back to the same address without it."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self._app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not (path == PREFIX or path.startswith(f"{PREFIX}/")):
            await self._app(scope, receive, send)
            return
        static = path.startswith(f"{PREFIX}/static/")
        cache = b"max-age=3600" if static else b"no-store"

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"
                ]
                message["headers"] = [*headers, *SECURITY_HEADERS, (b"cache-control", cache)]
            await send(message)

        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        wanted = [value for key, value in query if key == "lang"]
        if scope["method"] == "GET" and wanted:
            rest = urlencode([(k, v) for k, v in query if k != "lang"])
            response = RedirectResponse(path + (f"?{rest}" if rest else ""), status_code=303)
            if wanted[-1] in LANGUAGE_CODES:
                response.set_cookie(
                    i18n.COOKIE,
                    wanted[-1],
                    max_age=365 * 24 * 3600,
                    path=PREFIX,
                    samesite="strict",
                    secure=_https(scope),
                )
            await response(scope, receive, with_headers)
            return
        if path == PREFIX:
            await RedirectResponse(f"{PREFIX}/", status_code=308)(scope, receive, with_headers)
            return
        await self._app(scope, receive, with_headers)


def _https(scope: Any) -> bool:
    # uvicorn's proxy_headers put the TLS proxy's X-Forwarded-Proto into the scheme.
    return bool(scope.get("scheme") == "https")


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def new_login_token() -> str:
    return secrets.token_urlsafe(24)
