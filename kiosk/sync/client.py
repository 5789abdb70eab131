"""Talking to the hub over HTTP: push a batch, pull changes, look up a resume code, book, and
fetch what the hub delivers (course packages, the site config) and report health.

Every call has a short timeout. What went wrong is one of three exceptions, so the caller can
decide: the hub is unreachable or failing (try again later, work offline meanwhile), the hub
refuses this terminal (token revoked or wrong site: retrying does not help), or the hub refuses
the batch as malformed (set the bad row aside); a fourth says the hub does not offer what was
asked for (a course package withdrawn meanwhile). Booking is the exception to the exceptions: a
visitor waits for it, so every way of not getting an answer is the same answer, None, and the
site's offline policy takes over (kiosk.core.bookings).
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any
from zoneinfo import ZoneInfo

import httpx

import kiosk
from kiosk.config import SiteConfig
from kiosk.core.bookings import BookingRequest, HubAnswer
from kiosk.sync.bookings import refusal, request_body, shared_booking

log = logging.getLogger("kiosk.sync")
_UTC = ZoneInfo("UTC")
# A course archive is at most 64 MiB unpacked (kiosk.core.courses.archive); compressed it is
# smaller, but stored files (images) barely shrink: allow a little above.
ARCHIVE_MAX_BYTES = 65 * 1024 * 1024


class HubUnreachableError(Exception):
    """No answer, a timeout, or the hub is failing (5xx): work offline and try again later."""


class HubRefusedTerminalError(Exception):
    """401/403: the token is unknown or revoked, or it belongs to another site."""


class HubRefusedBatchError(Exception):
    """422/413: the hub cannot take this body (a malformed or oversized row)."""


class HubNotOfferedError(Exception):
    """404: the hub does not (or no longer) offer what was asked for, e.g. a withdrawn course."""


class HubSettingsError(Exception):
    """A file the [hub] section names (the token, the certificate authority) cannot be read."""


@dataclass(frozen=True)
class HubSettings:
    """Where the hub is and who this terminal is."""

    url: str
    site: str
    token: str
    timeout_s: float = 2.0
    interval_s: float = 5.0
    ca_file: Path | None = None  # a city-internal certificate authority; None = the public ones
    zone: ZoneInfo = _UTC  # the site's: the free times the hub offers are shown in it


def hub_settings(config: SiteConfig) -> HubSettings:
    """The [hub] section with its token read from the token file and its certificate authority
    found; raises HubSettingsError when either file is missing."""
    path = Path(config.hub.token_file)
    if not path.is_absolute():
        path = config.resolve(config.hub.token_file)
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise HubSettingsError(f"{path}: cannot read the hub token ({error})") from error
    if not token:
        raise HubSettingsError(f"{path}: the hub token file is empty")
    ca_file = None
    if config.hub.ca_file:
        ca_file = Path(config.hub.ca_file)
        if not ca_file.is_absolute():
            ca_file = config.resolve(config.hub.ca_file)
        if not ca_file.is_file():
            raise HubSettingsError(f"{ca_file}: the hub's certificate authority file is missing")
    return HubSettings(
        ca_file=ca_file,
        url=config.hub.url,
        site=config.hub.site,
        token=token,
        timeout_s=config.hub.timeout_s,
        interval_s=config.hub.interval_s,
        zone=ZoneInfo(config.site.timezone),
    )


@dataclass(frozen=True)
class LookupAnswer:
    """What the hub said about a resume code."""

    status: str  # found, unknown, expired, throttled
    record: Mapping[str, Any] | None = None
    retry_after_s: float = 0.0


class HubClient:
    """One HTTP connection (kept alive) to the hub. Use it from one thread."""

    def __init__(self, settings: HubSettings, *, timeout_s: float | None = None) -> None:
        self.settings = settings
        verify: ssl.SSLContext | bool = True
        if settings.ca_file is not None:
            verify = ssl.create_default_context(cafile=str(settings.ca_file))
        self._http = httpx.Client(
            base_url=settings.url.rstrip("/"),
            verify=verify,
            timeout=timeout_s if timeout_s is not None else settings.timeout_s,
            headers={
                "Authorization": f"Bearer {settings.token}",
                "User-Agent": f"probierladen-kiosk/{kiosk.__version__}",
            },
        )

    def push(
        self,
        events: Sequence[Mapping[str, Any]],
        progress: Sequence[Mapping[str, Any]],
        backlog: int,
        bookings: Sequence[Mapping[str, Any]] = (),
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "site": self.settings.site,
            "version": kiosk.__version__,
            "backlog": backlog,
            "events": list(events),
            "progress": list(progress),
        }
        if bookings:  # a batch without bookings reads as before to every hub
            body["bookings"] = list(bookings)
        return self._json(self._request("POST", "/v1/push", json=body))

    def changes(self, since: int, backlog: int | None = None) -> dict[str, Any]:
        params = {"since": since} if backlog is None else {"since": since, "backlog": backlog}
        return self._json(self._request("GET", "/v1/changes", params=params))

    def reserve_codes(self, count: int) -> list[str]:
        """Resume codes the hub keeps for this terminal alone."""
        answer = self._json(self._request("POST", "/v1/codes/reserve", json={"count": count}))
        codes = answer.get("codes", [])
        return [code for code in codes if isinstance(code, str)]

    def lookup(self, code: str) -> LookupAnswer:
        response = self._request("POST", "/v1/progress/lookup", json={"code": code}, lookup=True)
        if response.status_code == 200:
            return LookupAnswer("found", self._json(response))
        if response.status_code == 429:
            try:
                wait = float(response.headers.get("Retry-After", "60"))
            except ValueError:
                wait = 60.0
            return LookupAnswer("throttled", retry_after_s=wait)
        return LookupAnswer("expired" if response.status_code == 410 else "unknown")

    def book(self, request: BookingRequest) -> HubAnswer:
        """Ask the hub for a booking checked here, waiting at most [hub] timeout_s: the booking
        as the hub keeps it, the hub's refusal with the free times it offers, or None when
        there is no answer to go by — unreachable, too slow, failing, no config of the site on
        the hub, this terminal refused, or an answer that cannot be read. Asking again with the
        same request is harmless: the hub takes each uid once."""
        try:
            response = self._http.post(
                "/v1/bookings", json=request_body(request), timeout=self.settings.timeout_s
            )
        except httpx.HTTPError as error:
            log.info("the hub could not be asked for a booking (%s)", type(error).__name__)
            return None
        status = response.status_code
        try:
            if status == 200:
                booking = shared_booking(response.json())
                if booking.uid != request.uid:
                    raise ValueError("the hub answered about another booking")
                return booking
            if status == 409:
                return refusal(response.json(), self.settings.zone)
        except ValueError as error:  # not JSON, or not the wire format (MalformedError)
            log.warning("the hub's answer to a booking cannot be read (HTTP %d: %s)", status, error)
            return None
        if status in (401, 403):
            log.error("the hub refuses this terminal (%s); booking without it", _reason(response))
        elif status == 404:
            log.warning("the hub has no config of this site; booking without it")
        else:
            log.warning("the hub could not take a booking: HTTP %d (%s)", status, _reason(response))
        return None

    def fleet(self) -> dict[str, Any] | None:
        """What the hub offers this terminal's site: its config's version and the course
        packages (GET /v1/fleet, read by kiosk.sync.fleet); None from a hub that delivers
        nothing (a version before fleets)."""
        response = self._request("GET", "/v1/fleet", allow=(404,))
        return None if response.status_code == 404 else self._json(response)

    def course_archive(self, publication: int, max_bytes: int = ARCHIVE_MAX_BYTES) -> bytes:
        """The bytes of a published course package as stored at the hub (the caller checks
        their hash); raises HubNotOfferedError when the hub no longer offers it."""
        path = f"/v1/courses/{int(publication)}/archive"
        try:
            with self._http.stream("GET", path) as response:
                if response.status_code == 404:
                    raise HubNotOfferedError(f"course package {publication}")
                if response.status_code >= 400:
                    response.read()
                    self._check(response)
                data = bytearray()
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) > max_bytes:  # a hub gone wrong must not fill the memory
                        raise HubUnreachableError(
                            f"course package {publication}: more than {max_bytes} bytes"
                        )
        except httpx.HTTPError as error:
            raise HubUnreachableError(f"{type(error).__name__}: {error}") from error
        return bytes(data)

    def site_config(self) -> dict[str, Any] | None:
        """The site's newest config at the hub ({"version", "sha256", "body"}), None if the
        site has none."""
        response = self._request("GET", "/v1/config", allow=(404,))
        return None if response.status_code == 404 else self._json(response)

    def report_health(self, report: Mapping[str, Any]) -> bool:
        """Post a health report (kiosk.fleet.health); the hub keeps the latest per terminal.
        False from a hub that takes none (a version before fleets)."""
        response = self._request("POST", "/v1/health", json=dict(report), allow=(404,))
        return response.status_code != 404

    def health(self) -> bool:
        try:
            return self._http.get("/health").status_code == 200
        except httpx.HTTPError:
            return False

    def _request(
        self,
        method: str,
        path: str,
        *,
        lookup: bool = False,
        allow: tuple[int, ...] = (),
        **options: Any,
    ) -> httpx.Response:
        try:
            response = self._http.request(method, path, **options)
        except httpx.HTTPError as error:
            raise HubUnreachableError(f"{type(error).__name__}: {error}") from error
        if lookup:
            allow = (*allow, 404, 410, 429)
        return self._check(response, allow)

    @staticmethod
    def _check(response: httpx.Response, allow: tuple[int, ...] = ()) -> httpx.Response:
        status = response.status_code
        if status in (401, 403):
            raise HubRefusedTerminalError(_reason(response))
        if status in (413, 422):
            raise HubRefusedBatchError(_reason(response))
        if status >= 500 or (status >= 400 and status not in allow):
            raise HubUnreachableError(f"HTTP {status}: {_reason(response)}")
        return response

    @staticmethod
    def _json(response: httpx.Response) -> dict[str, Any]:
        try:
            data = response.json()
        except ValueError as error:
            raise HubUnreachableError("the hub's answer is not JSON") from error
        if not isinstance(data, dict):
            raise HubUnreachableError("the hub's answer is not a JSON object")
        return data

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def ask_to_book(settings: HubSettings, request: BookingRequest) -> HubAnswer:
    """One booking asked of the hub over a connection of its own (blocking, at most [hub]
    timeout_s): for the visitor's screen in a background thread, and for `kiosk bookings add`."""
    try:
        with HubClient(settings) as client:
            return client.book(request)
    except OSError as error:  # the certificate authority's file went away or is not one
        log.warning("the hub could not be asked for a booking: %s", type(error).__name__)
        return None


def _reason(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return f"{data['error']}: {data.get('detail', '')}".strip(": ")
    return f"HTTP {response.status_code}"
