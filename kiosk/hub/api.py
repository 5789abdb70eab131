"""The hub's HTTP API for terminals (FastAPI): push, pull, bookings, code lookup, the fleet's
course packages and site config, and health.

Terminals authenticate with their bearer token. Every refusal is a small JSON body
(``{"error": ..., "detail": ...}``) with a 4xx status, never a traceback; a database that is
down answers 503, so terminals back off and try again. The OpenAPI schema is at
``/openapi.json`` (no interactive docs: they would load scripts from the internet).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager, suppress
from http import HTTPStatus
from typing import Annotated, Any

import psycopg
from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from psycopg_pool import ConnectionPool
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

import kiosk
from kiosk.hub import booking_desk, fleet, fleet_status, service
from kiosk.hub.bookings import ForeignBookingError
from kiosk.hub.desk.web import add_desk
from kiosk.hub.fleet_models import (
    BIGGEST,
    ConfigOffer,
    CourseOffer,
    FleetManifest,
    HealthReport,
    SiteConfigBody,
)
from kiosk.hub.models import (
    BookingAsk,
    BookingRecord,
    BookingRefused,
    Changes,
    Health,
    Problem,
    ProgressRecord,
    PushBatch,
    PushResult,
    ReservedCodes,
    ReserveRequest,
    ResumeCodeText,
)
from kiosk.hub.schema import pending_migrations
from kiosk.hub.site_rules import SiteRulesCache

log = logging.getLogger("kiosk.hub")

MAX_BODY_BYTES = 2 * 1024 * 1024  # a full batch is well under 1 MiB
MAX_PROBLEMS = 5  # lines of a 422 answer

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


_bearer = HTTPBearer(auto_error=False, description="The terminal's token from `kiosk hub enrol`")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


class RequestRefusedError(Exception):
    """Ends a request with a status and a Problem body."""

    def __init__(self, status: int, error: str, detail: str = "", **headers: str) -> None:
        super().__init__(error)
        self.status = status
        self.problem = Problem(error=error, detail=detail)
        self.headers = headers


class BookingRefusedError(Exception):
    """Ends a booking request with 409: the slot is not to be had, and what is free instead."""

    def __init__(self, refused: BookingRefused) -> None:
        super().__init__(refused.problem)
        self.refused = refused


class CodeQuery(BaseModel):
    """A resume code in compact form, sent in the body so it never shows in access logs."""

    model_config = ConfigDict(extra="forbid")
    code: ResumeCodeText


def _problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": Problem} for status in statuses}


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413, counted as they arrive (a client
    may send no Content-Length, or a false one)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self._app = app
        self._limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self._limit):
            await _send_problem(send, 413, "too_large", f"bodies are at most {self._limit} bytes")
            return
        received = 0
        too_large = False

        async def counted() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self._limit:
                    too_large = True
                    raise _BodyTooLargeError
            return message

        async def unless_too_large(message: Message) -> None:
            # FastAPI answers an error while it reads the body with its own 400 instead of
            # letting the error through: that answer is dropped for the 413 below.
            if not too_large:
                await send(message)

        with suppress(_BodyTooLargeError):
            await self._app(scope, counted, unless_too_large)
        if too_large:
            await _send_problem(send, 413, "too_large", f"bodies are at most {self._limit} bytes")


class _BodyTooLargeError(Exception):
    pass


async def _send_problem(send: Send, status: int, error: str, detail: str) -> None:
    body = Problem(error=error, detail=detail).model_dump_json().encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def create_app(pool: ConnectionPool[psycopg.Connection[tuple[Any, ...]]]) -> FastAPI:
    """The API over a connection pool (the caller opens and closes the pool)."""
    app = FastAPI(
        title="Probierladen Kiosk hub",
        version=kiosk.__version__,
        summary="Terminals push their outbox, pull changes and look up resume codes.",
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    rules = SiteRulesCache()

    @contextmanager
    def transaction() -> Iterator[service.Conn]:
        try:
            with pool.connection() as conn:
                yield conn
        except (psycopg.OperationalError, psycopg.errors.AdminShutdown) as error:
            log.warning("database unavailable: %s", type(error).__name__)
            raise RequestRefusedError(
                503, "unavailable", "the hub's database is not reachable"
            ) from None

    def terminal(
        conn: service.Conn, credentials: HTTPAuthorizationCredentials | None
    ) -> service.Terminal:
        if credentials is None or not credentials.credentials:
            raise RequestRefusedError(
                401, "unauthorised", "send the terminal's token", **_CHALLENGE
            )
        found = service.authenticate(conn, credentials.credentials[:200])
        if found is None:
            raise RequestRefusedError(401, "unauthorised", "unknown or revoked token", **_CHALLENGE)
        return found

    @app.exception_handler(RequestRefusedError)
    async def refused(_request: Request, error: RequestRefusedError) -> JSONResponse:
        return JSONResponse(
            error.problem.model_dump(), status_code=error.status, headers=error.headers
        )

    @app.exception_handler(BookingRefusedError)
    async def booking_refused(_request: Request, error: BookingRefusedError) -> JSONResponse:
        return JSONResponse(error.refused.model_dump(), status_code=409)

    @app.exception_handler(StarletteHTTPException)
    async def framework_refused(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        # The framework's own refusals (a body that is not UTF-8, an unknown path, a method
        # the path does not take) in the same form as the hub's.
        error_name = HTTPStatus(error.status_code).phrase.lower().replace(" ", "_")
        return JSONResponse(
            Problem(error=error_name, detail=str(error.detail)).model_dump(),
            status_code=error.status_code,
            headers=error.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        # What is wrong, where, in a few lines; never the input itself (a refused batch of
        # 5,000 events would come back as megabytes).
        problems = error.errors()
        lines = [
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in problems[:MAX_PROBLEMS]
        ]
        if len(problems) > MAX_PROBLEMS:
            lines.append(f"… and {len(problems) - MAX_PROBLEMS} more")
        return JSONResponse(
            Problem(error="invalid", detail="; ".join(lines)).model_dump(), status_code=422
        )

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, error: Exception) -> JSONResponse:
        log.error("unexpected error in a request", exc_info=error)
        return JSONResponse(Problem(error="internal").model_dump(), status_code=500)

    @app.get("/health", responses={503: {"model": Health}})
    def health(response: Response) -> Health:
        """200 when the hub can serve: the database answers and its schema is current."""
        try:
            with pool.connection(timeout=2) as conn:
                ready = not pending_migrations(conn)
        except (psycopg.Error, TimeoutError, OSError):
            ready = False
        if not ready:
            response.status_code = 503
        return Health(status="ok" if ready else "unavailable", version=kiosk.__version__)

    @app.post("/v1/push", responses=_problems(400, 401, 403, 413, 422, 503))
    def push(batch: PushBatch, credentials: Credentials) -> PushResult:
        """Take in a batch of the terminal's outbox; rows that arrived before change nothing."""
        with transaction() as conn:
            who = terminal(conn, credentials)
            if batch.site != who.site:
                raise RequestRefusedError(
                    403, "wrong_site", f"this terminal's token is for site {who.site!r}"
                )
            return service.push(conn, who, batch, rules)

    @app.get("/v1/changes", responses=_problems(401, 422, 503))
    def changes(
        request: Request,
        credentials: Credentials,
        since: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=service.CHANGES_LIMIT)] = service.CHANGES_LIMIT,
        backlog: Annotated[int | None, Query(ge=0, le=10**9)] = None,
    ) -> Changes:
        """Progress records the terminal holds that changed after ``since``. The terminal says
        how many rows wait in its outbox (``backlog``), for `kiosk hub status`."""
        with transaction() as conn:
            who = terminal(conn, credentials)
            service.seen(
                conn,
                who,
                version=_kiosk_version(request.headers.get("user-agent")),
                backlog=backlog,
            )
            return service.changes(conn, who, since, limit)

    @app.post(
        "/v1/bookings",
        response_model=BookingRecord,
        responses={409: {"model": BookingRefused}, **_problems(400, 401, 403, 404, 413, 422, 503)},
    )
    def book(ask: BookingAsk, credentials: Credentials) -> Response:
        """Decide a booking the terminal checked, by the site's rules on the hub: the booking
        (also when asked again with the same uid), or 409 with the next free times."""
        with transaction() as conn:
            who = terminal(conn, credentials)
            site_rules = (
                None if who.site_config is None else rules.rules(conn, who.site, who.site_config)
            )
            if site_rules is None:
                raise RequestRefusedError(
                    404, "no_config", f"the hub has no config of site {who.site!r}"
                )
            try:
                decision = booking_desk.decide(conn, who.site, who.id, ask, site_rules)
            except ForeignBookingError:
                raise RequestRefusedError(
                    403, "wrong_site", "this booking belongs to another site"
                ) from None
        # Raised after the transaction is committed: a refusal may have released no-shows.
        if decision.refused is not None:
            raise BookingRefusedError(decision.refused)
        if decision.record is None:
            raise RequestRefusedError(422, "invalid", f"name: {decision.name_problem}")
        # The record as JSON here: a model returned would be validated once more on a second
        # trip through the thread pool, while the terminal waits.
        return Response(decision.record.model_dump_json(), media_type="application/json")

    @app.post("/v1/codes/reserve", responses=_problems(400, 401, 413, 422, 503))
    def reserve(request: ReserveRequest, credentials: Credentials) -> ReservedCodes:
        """Resume codes no record and no other terminal has, for this terminal's reserve."""
        with transaction() as conn:
            return ReservedCodes(
                codes=service.reserve_codes(conn, terminal(conn, credentials), request.count)
            )

    @app.post("/v1/progress/lookup", responses=_problems(400, 401, 404, 410, 413, 422, 429, 503))
    def lookup(query: CodeQuery, credentials: Credentials) -> ProgressRecord:
        """The progress behind a resume code typed at this terminal but taken elsewhere."""
        with transaction() as conn:
            answer = service.lookup(conn, terminal(conn, credentials), query.code)
        if answer.record is not None:
            return answer.record
        if answer.status == "throttled":
            raise RequestRefusedError(
                429,
                "throttled",
                "too many unknown codes; try again later",
                **{"Retry-After": str(answer.retry_after_s)},
            )
        if answer.status == "expired":
            raise RequestRefusedError(410, "expired", "the code has expired")
        raise RequestRefusedError(404, "unknown", "no such code")

    @app.get("/v1/fleet", responses=_problems(401, 503))
    def fleet_manifest(credentials: Credentials) -> FleetManifest:
        """The config and the course packages this terminal's site is offered now, courses
        sorted by course id (the terminal fetches what it does not have)."""
        with transaction() as conn:
            who = terminal(conn, credentials)
            config = fleet.config_offer(conn, who.site)
            courses = fleet.offers(conn, who.site)
        return FleetManifest(
            config=None if config is None else ConfigOffer(version=config[0], sha256=config[1]),
            courses=[
                CourseOffer(
                    id=p.id, course_id=p.course_id, version=p.version, sha256=p.sha256, size=p.size
                )
                for p in courses
            ],
        )

    @app.get(
        "/v1/courses/{publication_id}/archive",
        response_class=Response,
        responses={
            200: {"content": {"application/gzip": {}}, "description": "the package archive"},
            **_problems(401, 404, 422, 503),
        },
    )
    def course_archive(
        publication_id: Annotated[int, Path(ge=1, le=BIGGEST)], credentials: Credentials
    ) -> Response:
        """A course package's archive, byte for byte as published: the terminal checks its
        SHA-256 against the manifest's. 404 unless this terminal's site is offered it now."""
        with transaction() as conn:
            who = terminal(conn, credentials)
            data = fleet.offered_archive(conn, who.site, publication_id)
        if data is None:
            raise RequestRefusedError(404, "unknown", "this site is not offered that package")
        return Response(data, media_type="application/gzip")

    @app.get("/v1/config", responses=_problems(401, 404, 503))
    def site_config(credentials: Credentials) -> SiteConfigBody:
        """The newest config of this terminal's site; the terminal checks it again."""
        with transaction() as conn:
            who = terminal(conn, credentials)
            config = fleet.config_offer(conn, who.site)
        if config is None:
            raise RequestRefusedError(
                404, "no_config", f"the hub has no config of site {who.site!r}"
            )
        return SiteConfigBody(version=config[0], sha256=config[1], body=config[2])

    @app.post(
        "/v1/health",
        status_code=204,
        response_class=Response,
        responses=_problems(400, 401, 413, 422, 503),
    )
    def report_health(report: HealthReport, credentials: Credentials) -> Response:
        """Keep this terminal's health report as its latest, for `kiosk hub status`."""
        with transaction() as conn:
            fleet_status.store_health(conn, terminal(conn, credentials), report)
        return Response(status_code=204)

    add_desk(app, pool)
    return app


_CHALLENGE = {"WWW-Authenticate": "Bearer"}
_USER_AGENT = re.compile(r"^probierladen-kiosk/([A-Za-z0-9_.+-]{1,40})$")


def _kiosk_version(user_agent: str | None) -> str | None:
    """The kiosk version a terminal names in its User-Agent (kiosk.sync.client)."""
    found = _USER_AGENT.match(user_agent or "")
    return found.group(1) if found else None
