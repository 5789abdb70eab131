"""The hub's HTTP API against a real server and a real PostgreSQL: push, pull, code lookup, health.

Every test has its own database. Refusals are checked for what they answer and for what they
leave behind: a refused request writes nothing, and no answer ever carries a traceback.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import uvicorn
from fastapi import FastAPI
from psycopg import sql
from psycopg_pool import ConnectionPool

from kiosk.hub import admin
from kiosk.hub.api import MAX_BODY_BYTES, create_app
from kiosk.hub.devcluster import free_port
from kiosk.hub.models import ProgressRecord
from kiosk.hub.service import PREFIX_LOOKUPS_PER_HOUR, TERMINAL_LOOKUPS_PER_HOUR
from tests.hub.servers import add_site, enrol, threaded_hub

ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
CODE = "K7PMR3XJ"
# Every table a request of a terminal may write to: "nothing written" means all of them as before.
WRITTEN_TABLES = (
    "usage_events",
    "progress",
    "progress_holders",
    "received_rows",
    "terminals",
    "code_lookup_failures",
    "change_counter",
)
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
# One expiry for every snapshot of a record: a later expiry is a change of its own.
EXPIRES = (datetime.now(UTC) + timedelta(days=180)).replace(microsecond=0)


# --- helpers ------------------------------------------------------------------------------


def assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text, text[:2000]
    assert 'File "' not in text, text[:2000]


def _checked(response: httpx.Response) -> None:
    response.read()
    assert_no_traceback(response.text)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Hub:
    url: str
    database: str
    tokens: dict[str, str]  # terminal name -> token; a1 and a2 of site a, b1 of site b

    def auth(self, terminal: str) -> dict[str, str]:
        return bearer(self.tokens[terminal])

    def terminal_id(self, name: str) -> int:
        row = query(self.database, "SELECT id FROM terminals WHERE name = %s", name)[0]
        return int(row[0])


def query(database: str, statement: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(database) as conn:
        return conn.execute(statement, params).fetchall()  # type: ignore[arg-type]


def snapshot(database: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row a terminal's request could have written, to compare before and after."""
    with psycopg.connect(database) as conn:
        return {
            table: conn.execute(
                sql.SQL("SELECT * FROM {} ORDER BY 1, 2").format(sql.Identifier(table))
                if table != "change_counter"
                else sql.SQL("SELECT * FROM change_counter")
            ).fetchall()
            for table in WRITTEN_TABLES
        }


def event(**fields: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "hour": "2026-03-02T10", "kind": "session_started", **fields}


def course(
    course_id: str, updated_at: datetime, *, step: str = "s2", completed: bool = False
) -> dict[str, Any]:
    return {
        "course_id": course_id,
        "course_version": 3,
        "current_step": step,
        "completed": completed,
        "started_at": T0.isoformat(),
        "updated_at": updated_at.isoformat(),
        "steps": [{"step_id": "s1", "quiz_correct": True}, {"step_id": step}],
    }


def progress_change(progress_id: str, code: str, courses: list[dict[str, Any]]) -> dict[str, Any]:
    """A progress row as a terminal's outbox sends it (a whole record, its own outbox UUID)."""
    return {
        "id": str(uuid.uuid4()),
        "progress_id": progress_id,
        "code": code,
        "created_at": T0.isoformat(),
        "expires_at": EXPIRES.isoformat(),
        "updated_at": max(c["updated_at"] for c in courses),
        "courses": courses,
    }


def as_record(change: dict[str, Any]) -> ProgressRecord:
    """The record a pushed change describes, as the hub answers it (for comparing answers)."""
    return ProgressRecord.model_validate({k: v for k, v in change.items() if k != "id"})


def courses_of(record: dict[str, Any]) -> dict[str, tuple[str, datetime]]:
    return {
        c["course_id"]: (c["current_step"], datetime.fromisoformat(c["updated_at"]))
        for c in record["courses"]
    }


def push(
    client: httpx.Client, hub: Hub, terminal: str, site: str | None = None, **parts: Any
) -> httpx.Response:
    body = {"site": site or hub_site(terminal), **parts}
    return client.post("/v1/push", headers=hub.auth(terminal), json=body)


def hub_site(terminal: str) -> str:
    return terminal[0]


def lookup(client: httpx.Client, hub: Hub, terminal: str, code: str) -> httpx.Response:
    return client.post("/v1/progress/lookup", headers=hub.auth(terminal), json={"code": code})


def changes(client: httpx.Client, hub: Hub, terminal: str, since: int) -> dict[str, Any]:
    response = client.get("/v1/changes", headers=hub.auth(terminal), params={"since": since})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def problem(response: httpx.Response, status: int, error: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["error"] == error, body
    assert isinstance(body["detail"], str)
    return body


def unknown_codes(count: int, *, prefix: str | None = None) -> list[str]:
    """Codes no record has: each with its own 4-symbol prefix, or all sharing ``prefix``."""
    codes = []
    for i in range(count):
        if prefix is None:
            first = ALPHABET[i % len(ALPHABET)] + ALPHABET[i // len(ALPHABET)]
            codes.append(first * 2 + "WXYW")
        else:
            codes.append(prefix + ALPHABET[i % len(ALPHABET)] + ALPHABET[i // len(ALPHABET)] * 3)
    assert len(set(codes)) == count
    return codes


def clear_of_the_hour_boundary(seconds: float = 15) -> None:
    """The throttle counts per clock hour: a test that counts up to a limit must not straddle
    the start of an hour (it would start counting from zero halfway). Waits the rare times it
    would."""
    now = datetime.now(UTC)
    left = 3600 - (now.minute * 60 + now.second + now.microsecond / 1e6)
    if left < seconds:
        time.sleep(left + 0.5)


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """An app of the test's own making on a free loopback port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the hub did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def raw_request(url: str, head: str, body: bytes, *, close_write: bool = False) -> bytes:
    """Bytes on a socket, for requests an HTTP client refuses to send (a false Content-Length);
    returns everything the server answered until it closed or went quiet."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        # Connection: close, so the answer ends where the server closes the connection.
        head += "Connection: close\n"
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        if close_write:
            sock.shutdown(socket.SHUT_WR)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except TimeoutError:
            pass  # the server keeps the connection open for the next request
    assert_no_traceback(answer.decode("utf-8", "replace"))
    return answer


def status_of(answer: bytes) -> int | None:
    if not answer:
        return None
    return int(answer.split(b" ", 2)[1])


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture
def hub(hub_database: str, tmp_path: Path) -> Iterator[Hub]:
    """Sites a and b, terminals a1 and a2 of site a and b1 of site b, and the hub serving them."""
    add_site(hub_database, "a", tmp_path)
    add_site(hub_database, "b", tmp_path)
    tokens = {name: enrol(hub_database, name[0], name) for name in ("a1", "a2", "b1")}
    with threaded_hub(hub_database) as url:
        yield Hub(url, hub_database, tokens)


@pytest.fixture
def client(hub: Hub) -> Iterator[httpx.Client]:
    """An HTTP client whose every answer is checked for tracebacks."""
    with httpx.Client(
        base_url=hub.url, timeout=20, event_hooks={"response": [_checked]}
    ) as http_client:
        yield http_client


# --- push ---------------------------------------------------------------------------------


def test_push_takes_each_event_once_by_its_uuid(hub: Hub, client: httpx.Client) -> None:
    first = [
        event(kind="course_started", language="uk", course_id="email-basics"),
        event(kind="session_ended", duration="5_15_min"),
        event(kind="language_chosen", language="ar"),
    ]
    response = push(client, hub, "a1", events=first, backlog=7, version="1.4.0")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "events_new": 3,
        "events_duplicate": 0,
        "progress_new": 0,
        "progress_duplicate": 0,
        "rejected": [],
        "bookings_new": 0,
        "bookings_duplicate": 0,
    }
    stored = query(
        hub.database,
        "SELECT id::text, site, terminal_id, hour, kind, language, course_id, duration "
        "FROM usage_events ORDER BY id",
    )
    a1 = hub.terminal_id("a1")
    assert sorted(stored) == sorted(
        (
            e["id"],
            "a",
            a1,
            e["hour"],
            e["kind"],
            e.get("language", ""),
            e.get("course_id", ""),
            e.get("duration", ""),
        )
        for e in first
    )

    # The terminal died before it noted the answer and sends the same batch again.
    again = push(client, hub, "a1", events=first, backlog=7)
    assert again.status_code == 200, again.text
    assert again.json()["events_new"] == 0
    assert again.json()["events_duplicate"] == 3
    assert query(hub.database, "SELECT id::text FROM usage_events ORDER BY id") == sorted(
        (e["id"],) for e in first
    )

    # Half seen, half new.
    second = [event(kind="consultation"), event(kind="booking_created", device_kind="tablet")]
    mixed = push(client, hub, "a1", events=[first[0], *second, first[2]], backlog=0)
    assert mixed.status_code == 200, mixed.text
    assert (mixed.json()["events_new"], mixed.json()["events_duplicate"]) == (2, 2)
    ids = {row[0] for row in query(hub.database, "SELECT id::text FROM usage_events")}
    assert ids == {e["id"] for e in first + second}
    assert query(
        hub.database, "SELECT rows_received, backlog, version FROM terminals WHERE name = 'a1'"
    ) == [(5, 0, "1.4.0")]


def test_an_event_twice_in_one_batch_is_taken_once(hub: Hub, client: httpx.Client) -> None:
    twice = event(kind="consultation")
    other = event()
    response = push(client, hub, "a1", events=[twice, other, twice])
    assert response.status_code == 200, response.text
    assert (response.json()["events_new"], response.json()["events_duplicate"]) == (2, 1)
    assert query(hub.database, "SELECT id::text FROM usage_events ORDER BY id") == sorted(
        [(twice["id"],), (other["id"],)]
    )


AUTHORIZATIONS = {
    "no header": None,
    "wrong token": "Bearer pkh_not-a-token-of-this-hub",
    "bearer without a token": "Bearer",
    "basic scheme": "Basic YTE6c2VjcmV0",
}


def test_no_valid_token_is_refused_with_401_and_writes_nothing(
    hub: Hub, client: httpx.Client, subtests: pytest.Subtests
) -> None:
    requests = {
        "push": ("POST", "/v1/push", {"site": "a", "events": [event()], "backlog": 3}),
        "changes": ("GET", "/v1/changes", None),
        "lookup": ("POST", "/v1/progress/lookup", {"code": CODE}),
    }
    for name, authorization in AUTHORIZATIONS.items():
        headers = {} if authorization is None else {"Authorization": authorization}
        for endpoint, (method, path, body) in requests.items():
            with subtests.test(authorization=name, endpoint=endpoint):
                before = snapshot(hub.database)
                response = client.request(method, path, headers=headers, json=body)
                problem(response, 401, "unauthorised")
                assert response.headers["WWW-Authenticate"] == "Bearer"
                assert snapshot(hub.database) == before


def test_a_revoked_token_is_refused_from_the_very_next_request(
    hub: Hub, client: httpx.Client
) -> None:
    assert push(client, hub, "a1", events=[event()]).status_code == 200
    with psycopg.connect(hub.database) as conn:
        admin.revoke(conn, "a1")
    before = snapshot(hub.database)
    # The same kept-alive connection, right after the revocation.
    refused = push(client, hub, "a1", events=[event()], backlog=1)
    problem(refused, 401, "unauthorised")
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    problem(lookup(client, hub, "a1", CODE), 401, "unauthorised")
    refused_pull = client.get("/v1/changes", headers=hub.auth("a1"))
    problem(refused_pull, 401, "unauthorised")
    assert snapshot(hub.database) == before
    # Other terminals go on.
    assert push(client, hub, "a2", events=[event()]).status_code == 200


def test_a_token_of_site_b_cannot_push_for_site_a(hub: Hub, client: httpx.Client) -> None:
    before = snapshot(hub.database)
    change = progress_change("b" * 32, CODE, [course("email", T0)])
    response = push(client, hub, "b1", site="a", events=[event()], progress=[change], backlog=2)
    body = problem(response, 403, "wrong_site")
    assert "'b'" in body["detail"]
    assert snapshot(hub.database) == before


def _with_event(extra: dict[str, Any]) -> dict[str, Any]:
    """A batch of one good event with one bad part: a lax check would write the good event."""
    return {"site": "a", "events": [event()], **extra}


def _bad_progress(**fields: Any) -> dict[str, Any]:
    return {**progress_change("c" * 32, CODE, [course("email", T0)]), **fields}


INVALID_BODIES: dict[str, bytes] = {
    "malformed-json": b'{"site": "a", "events": [{"id": ',
    "json-array": json.dumps([_with_event({})]).encode(),
    "json-string": b'"site=a"',
    "json-null": b"null",
    "unknown-top-level-field": json.dumps(_with_event({"visitor": "Ana"})).encode(),
    "unknown-event-field": json.dumps(
        {"site": "a", "events": [event(), event(visitor="Ana")]}
    ).encode(),
    "events-not-a-list": json.dumps({"site": "a", "events": {"kind": "consultation"}}).encode(),
    "backlog-not-a-number": json.dumps(_with_event({"backlog": "lots"})).encode(),
    "event-id-not-a-uuid": json.dumps({"site": "a", "events": [event(id="row-17")]}).encode(),
    "bad-hour": json.dumps(
        {"site": "a", "events": [event(), event(hour="2026-03-02 10:00")]}
    ).encode(),
    "unknown-event-kind": json.dumps(
        {"site": "a", "events": [event(), event(kind="visitor_named")]}
    ).encode(),
    "65-character-value": json.dumps(
        {"site": "a", "events": [event(), event(course_id="x" * 65)]}
    ).encode(),
    "free-text-in-a-word": json.dumps(
        {"site": "a", "events": [event(), event(course_id="Ana's course")]}
    ).encode(),
    "site-pattern": json.dumps({"site": "Site A", "events": [event()]}).encode(),
    "5001-events": json.dumps({"site": "a", "events": [event() for _ in range(5001)]}).encode(),
    "progress-time-without-offset": json.dumps(
        _with_event({"progress": [_bad_progress(updated_at="2026-03-02T10:00:00")]})
    ).encode(),
    "progress-code-outside-alphabet": json.dumps(
        _with_event({"progress": [_bad_progress(code="K7PMR3XB")]})
    ).encode(),
    "progress-id-not-hex": json.dumps(
        _with_event({"progress": [_bad_progress(progress_id="Z" * 32)]})
    ).encode(),
}


def test_an_invalid_body_is_refused_with_422_and_writes_nothing(
    hub: Hub, client: httpx.Client, subtests: pytest.Subtests
) -> None:
    for name, body in INVALID_BODIES.items():
        with subtests.test(body=name):
            before = snapshot(hub.database)
            response = client.post(
                "/v1/push",
                headers={**hub.auth("a1"), "Content-Type": "application/json"},
                content=body,
            )
            problem(response, 422, "invalid")
            assert snapshot(hub.database) == before


def test_a_refused_batch_says_what_is_wrong_in_a_few_lines_without_echoing_it(
    hub: Hub, client: httpx.Client
) -> None:
    events = [event(hour="yesterday") for _ in range(5000)]
    response = client.post("/v1/push", headers=hub.auth("a1"), json={"site": "a", "events": events})
    body = problem(response, 422, "invalid")
    assert "events.0.hour" in body["detail"] and "and 4995 more" in body["detail"]
    assert "yesterday" not in response.text
    assert len(response.content) < 2000


def test_a_body_that_is_not_utf8_is_refused_with_a_problem_and_writes_nothing(
    hub: Hub, client: httpx.Client
) -> None:
    before = snapshot(hub.database)
    for path in ("/v1/push", "/v1/progress/lookup"):
        response = client.post(
            path,
            headers={**hub.auth("a1"), "Content-Type": "application/json"},
            content=b'{"site": "a", "code": "\xff\xfe"}',
        )
        problem(response, 400, "bad_request")
    assert snapshot(hub.database) == before


def test_the_framework_refuses_in_the_hub_s_own_form(hub: Hub, client: httpx.Client) -> None:
    problem(client.get("/v1/nothing-here", headers=hub.auth("a1")), 404, "not_found")
    wrong_method = client.delete("/v1/push", headers=hub.auth("a1"))
    problem(wrong_method, 405, "method_not_allowed")
    assert wrong_method.headers["Allow"] == "POST"


def test_the_limits_themselves_are_accepted(hub: Hub, client: httpx.Client) -> None:
    """The refusals above are about the limits, not about big batches as such."""
    events = [event(course_id="x" * 64) for _ in range(5000)]
    response = push(client, hub, "a1", events=events)
    assert response.status_code == 200, response.text
    assert response.json()["events_new"] == 5000


def _padded_batch(size: int) -> bytes:
    """A valid batch of one event, padded with JSON whitespace to ``size`` bytes: without the
    limit the hub would take it."""
    head = json.dumps({"site": "a", "events": [event()]}).encode()
    return head[:-1] + b" " * (size - len(head)) + b"}"


def test_a_body_over_the_limit_with_its_length_declared_is_refused_with_413(
    hub: Hub, client: httpx.Client
) -> None:
    before = snapshot(hub.database)
    response = client.post(
        "/v1/push",
        headers={**hub.auth("a1"), "Content-Type": "application/json"},
        content=_padded_batch(3_000_000),
    )
    assert response.request.headers["Content-Length"] == "3000000"
    problem(response, 413, "too_large")
    assert snapshot(hub.database) == before
    # Just under the limit, the same kind of body is taken: the limit is what refused it.
    taken = client.post(
        "/v1/push",
        headers={**hub.auth("a1"), "Content-Type": "application/json"},
        content=_padded_batch(MAX_BODY_BYTES),
    )
    assert taken.status_code == 200, taken.text


def test_a_chunked_body_over_the_limit_without_a_length_is_refused_with_413(
    hub: Hub, client: httpx.Client
) -> None:
    body = _padded_batch(3_000_000)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    before = snapshot(hub.database)
    response = client.post(
        "/v1/push",
        headers={**hub.auth("a1"), "Content-Type": "application/json"},
        content=chunks(),
    )
    assert "Content-Length" not in response.request.headers
    assert response.request.headers["Transfer-Encoding"] == "chunked"
    problem(response, 413, "too_large")
    assert snapshot(hub.database) == before


def test_a_false_content_length_never_causes_a_500(hub: Hub) -> None:
    before = snapshot(hub.database)
    token = hub.tokens["a1"]
    head = (
        "POST /v1/push HTTP/1.1\nHost: hub\nAuthorization: Bearer {token}\n"
        "Content-Type: application/json\nContent-Length: {length}\n"
    )
    body = json.dumps({"site": "a", "events": [event()]}).encode()

    # Shorter than the body: the hub reads a cut-off body (and the rest as a bad next request).
    shorter = raw_request(hub.url, head.format(token=token, length=10), body)
    assert status_of(shorter) == 422, shorter[:500]
    # Longer than the body, and the client stops sending: no answer, or a refusal.
    longer = raw_request(hub.url, head.format(token=token, length=5000), body, close_write=True)
    assert status_of(longer) in (None, 400), longer[:500]
    # Over the limit but the body is short: refused from the header alone.
    huge = raw_request(hub.url, head.format(token=token, length=10**12), body)
    assert status_of(huge) == 413, huge[:500]
    # Not a number at all.
    for length in ("lots", "-1", "1e9"):
        nonsense = raw_request(hub.url, head.format(token=token, length=length), body)
        assert status_of(nonsense) in (400, 413), nonsense[:500]

    assert snapshot(hub.database) == before
    assert httpx.get(f"{hub.url}/health", timeout=10).status_code == 200


# --- progress -----------------------------------------------------------------------------


def test_progress_travels_to_a_terminal_of_another_site_that_looks_its_code_up(
    hub: Hub, client: httpx.Client
) -> None:
    progress_id = uuid.uuid4().hex
    first = progress_change(progress_id, CODE, [course("email", T0 + timedelta(hours=1))])
    pushed = push(client, hub, "a1", progress=[first])
    assert pushed.status_code == 200, pushed.text
    assert pushed.json()["progress_new"] == 1

    # b1 holds nothing yet: the record is not in its changes.
    b_start = changes(client, hub, "b1", 0)
    assert b_start["progress"] == []
    assert b_start["more"] is False

    found = lookup(client, hub, "b1", CODE)
    assert found.status_code == 200, found.text
    assert ProgressRecord.model_validate(found.json()) == as_record(first)
    assert query(
        hub.database,
        "SELECT t.name FROM progress_holders h JOIN terminals t ON t.id = h.terminal_id "
        "ORDER BY t.name",
    ) == [("a1",), ("b1",)]

    # The visitor goes on at the library's terminal (a1): one course newer, one new course.
    newer = progress_change(
        progress_id,
        CODE,
        [
            course("email", T0 + timedelta(hours=2), step="s5", completed=True),
            course("maps", T0 + timedelta(hours=2), step="s1"),
        ],
    )
    assert push(client, hub, "a1", progress=[newer]).json()["progress_new"] == 1

    b_pull = changes(client, hub, "b1", b_start["cursor"])
    assert b_pull["cursor"] > b_start["cursor"]
    assert [ProgressRecord.model_validate(r) for r in b_pull["progress"]] == [as_record(newer)]
    # Asked again from the new cursor: nothing more.
    assert changes(client, hub, "b1", b_pull["cursor"])["progress"] == []

    # a1 made the change itself and gets the hub's merge of it back (here: what it sent).
    a_pull = changes(client, hub, "a1", 0)
    assert [ProgressRecord.model_validate(r) for r in a_pull["progress"]] == [as_record(newer)]
    assert a_pull["cursor"] == b_pull["cursor"]
    # a2 (same site as a1) never saw the code: it holds nothing and gets nothing.
    assert changes(client, hub, "a2", 0)["progress"] == []

    # A change made at b1 goes back to a1, merged with what a1 sent.
    from_b = progress_change(
        progress_id, CODE, [course("maps", T0 + timedelta(hours=3), step="s4")]
    )
    assert push(client, hub, "b1", progress=[from_b]).json()["progress_new"] == 1
    back = changes(client, hub, "a1", a_pull["cursor"])["progress"]
    assert len(back) == 1
    assert courses_of(back[0]) == {
        "email": ("s5", T0 + timedelta(hours=2)),
        "maps": ("s4", T0 + timedelta(hours=3)),
    }


def test_an_older_snapshot_of_a_course_does_not_overwrite_a_newer_one(
    hub: Hub, client: httpx.Client
) -> None:
    progress_id = uuid.uuid4().hex
    current = progress_change(
        progress_id, CODE, [course("email", T0 + timedelta(hours=5), step="s7")]
    )
    assert push(client, hub, "a1", progress=[current]).json()["progress_new"] == 1

    # b1 was offline with an old copy: its email course is older, its maps course is new.
    stale = progress_change(
        progress_id,
        CODE,
        [
            course("email", T0 + timedelta(hours=1), step="s2"),
            course("maps", T0 + timedelta(hours=2), step="s3"),
        ],
    )
    assert push(client, hub, "b1", progress=[stale]).status_code == 200

    merged = lookup(client, hub, "a2", CODE)
    assert merged.status_code == 200, merged.text
    assert courses_of(merged.json()) == {
        "email": ("s7", T0 + timedelta(hours=5)),
        "maps": ("s3", T0 + timedelta(hours=2)),
    }
    # The record's own time is the newest of what it holds, never moved back.
    assert datetime.fromisoformat(merged.json()["updated_at"]) == T0 + timedelta(hours=5)

    # A snapshot that is older in every course changes nothing at all (no change to pull).
    before = snapshot(hub.database)
    older = progress_change(progress_id, CODE, [course("email", T0, step="s1")])
    assert push(client, hub, "b1", progress=[older]).status_code == 200
    after = snapshot(hub.database)
    assert after["progress"] == before["progress"]
    assert after["change_counter"] == before["change_counter"]


def test_a_second_record_claiming_a_taken_code_is_rejected(hub: Hub, client: httpx.Client) -> None:
    original = progress_change(uuid.uuid4().hex, CODE, [course("email", T0)])
    assert push(client, hub, "a1", progress=[original]).json()["progress_new"] == 1
    stored = query(hub.database, "SELECT * FROM progress")

    # Another terminal drew the same code for another visitor.
    claim = progress_change(uuid.uuid4().hex, CODE, [course("maps", T0 + timedelta(hours=9))])
    response = push(client, hub, "b1", progress=[claim])
    assert response.status_code == 200, response.text
    assert response.json() == {
        "events_new": 0,
        "events_duplicate": 0,
        "progress_new": 0,
        "progress_duplicate": 0,
        "rejected": [{"id": claim["id"], "reason": "code_taken"}],
        "bookings_new": 0,
        "bookings_duplicate": 0,
    }
    assert query(hub.database, "SELECT * FROM progress") == stored
    found = lookup(client, hub, "a2", CODE)
    assert ProgressRecord.model_validate(found.json()) == as_record(original)


def test_a_replayed_progress_row_is_a_duplicate(hub: Hub, client: httpx.Client) -> None:
    change = progress_change(uuid.uuid4().hex, CODE, [course("email", T0)])
    assert push(client, hub, "a1", progress=[change]).json()["progress_new"] == 1
    before = snapshot(hub.database)
    replay = push(client, hub, "a1", progress=[change])
    assert replay.status_code == 200, replay.text
    assert (replay.json()["progress_new"], replay.json()["progress_duplicate"]) == (0, 1)
    after = snapshot(hub.database)
    for table in ("progress", "progress_holders", "received_rows", "change_counter"):
        assert after[table] == before[table], table


# --- code lookup --------------------------------------------------------------------------


def test_unknown_codes_from_one_terminal_are_throttled(hub: Hub, client: httpx.Client) -> None:
    clear_of_the_hour_boundary()
    known = progress_change(uuid.uuid4().hex, CODE, [course("email", T0)])
    assert push(client, hub, "a1", progress=[known]).json()["progress_new"] == 1

    codes = unknown_codes(TERMINAL_LOOKUPS_PER_HOUR + 1)
    for code in codes[:-1]:
        problem(lookup(client, hub, "a2", code), 404, "unknown")
    throttled = lookup(client, hub, "a2", codes[-1])
    assert problem(throttled, 429, "throttled")["detail"]
    assert 1 <= int(throttled.headers["Retry-After"]) <= 3601

    # While throttled, a code that exists is not looked at either.
    holders = query(hub.database, "SELECT * FROM progress_holders")
    refused = lookup(client, hub, "a2", CODE)
    problem(refused, 429, "throttled")
    assert "Retry-After" in refused.headers
    assert query(hub.database, "SELECT * FROM progress_holders") == holders

    # The throttle is a2's own: another terminal looks the code up.
    assert lookup(client, hub, "b1", CODE).status_code == 200
    problem(lookup(client, hub, "b1", codes[-1]), 404, "unknown")


def test_unknown_codes_of_one_prefix_are_throttled_across_terminals(
    hub: Hub, client: httpx.Client
) -> None:
    clear_of_the_hour_boundary()
    shared = "ACDE"
    known = progress_change(uuid.uuid4().hex, shared + "KMNP", [course("email", T0)])
    assert push(client, hub, "a1", progress=[known]).json()["progress_new"] == 1
    other = progress_change(uuid.uuid4().hex, CODE, [course("email", T0)])
    assert push(client, hub, "a1", progress=[other]).json()["progress_new"] == 1

    codes = unknown_codes(PREFIX_LOOKUPS_PER_HOUR + 1, prefix=shared)
    half = PREFIX_LOOKUPS_PER_HOUR // 2
    for code in codes[:half]:
        problem(lookup(client, hub, "a2", code), 404, "unknown")
    for code in codes[half:-1]:
        problem(lookup(client, hub, "b1", code), 404, "unknown")

    # Neither terminal is near its own limit, but the prefix has had its ten.
    for terminal in ("a2", "b1", "a1"):
        response = lookup(client, hub, terminal, codes[-1])
        problem(response, 429, "throttled")
        assert int(response.headers["Retry-After"]) >= 1
        # A record under that prefix exists, and is not given out while the prefix is throttled.
        problem(lookup(client, hub, terminal, shared + "KMNP"), 429, "throttled")
    # Other prefixes are not throttled.
    assert lookup(client, hub, "a2", CODE).status_code == 200
    problem(lookup(client, hub, "b1", "QRTW" + "QRTW"), 404, "unknown")


def test_an_expired_code_answers_410(hub: Hub, client: httpx.Client) -> None:
    change = progress_change(uuid.uuid4().hex, CODE, [course("email", T0)])
    assert push(client, hub, "a1", progress=[change]).json()["progress_new"] == 1
    # Its 180 days have passed (the hourly purge has not run yet).
    with psycopg.connect(hub.database) as conn:
        conn.execute("UPDATE progress SET expires_at = now() - interval '1 minute'")
    problem(lookup(client, hub, "b1", CODE), 410, "expired")
    assert query(
        hub.database,
        "SELECT count(*) FROM progress_holders WHERE terminal_id = %s",
        hub.terminal_id("b1"),
    ) == [(0,)]


def test_a_code_is_exactly_8_symbols_of_the_alphabet(
    hub: Hub, client: httpx.Client, subtests: pytest.Subtests
) -> None:
    known = progress_change(uuid.uuid4().hex, CODE, [course("email", T0)])
    assert push(client, hub, "a1", progress=[known]).json()["progress_new"] == 1
    near_misses = [
        CODE[:7],  # 7 symbols
        CODE + "4",  # 9
        CODE.lower(),
        CODE[:7] + "B",  # B, O, 0, 1, I, L, S, U, V, Z, 2, 5, 8 look alike: not in the alphabet
        CODE[:7] + "0",
        CODE[:3] + "-" + CODE[3:7],  # the grouped way a code may be shown
        CODE[:7] + " ",
        "",
    ]
    for code in near_misses:
        with subtests.test(code=code):
            before = snapshot(hub.database)
            response = lookup(client, hub, "b1", code)
            assert response.status_code == 422, response.text
            # Not counted against the throttle either: it never reached the lookup.
            assert snapshot(hub.database) == before
    assert lookup(client, hub, "b1", CODE).status_code == 200


def test_a_code_body_must_be_exactly_the_code(hub: Hub, client: httpx.Client) -> None:
    for body in ({}, {"code": CODE, "site": "a"}, {"code": 12345678}, [CODE]):
        response = client.post("/v1/progress/lookup", headers=hub.auth("a1"), json=body)
        assert response.status_code == 422, (body, response.text)


# --- health and a database that is down ---------------------------------------------------


def test_health_is_200_on_a_migrated_database(hub: Hub, client: httpx.Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_health_is_503_while_the_schema_is_missing(empty_database: str) -> None:
    with threaded_hub(empty_database) as url:
        response = httpx.get(f"{url}/health", timeout=10)
    assert_no_traceback(response.text)
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_a_database_that_cannot_be_reached_answers_503_never_500() -> None:
    closed = f"postgresql://hub@127.0.0.1:{free_port()}/hub?connect_timeout=1"
    pool: ConnectionPool[psycopg.Connection[tuple[Any, ...]]] = ConnectionPool(
        closed, min_size=1, open=False, timeout=1
    )
    pool.open(wait=False)
    try:
        with (
            serve(create_app(pool)) as url,
            httpx.Client(base_url=url, timeout=20, event_hooks={"response": [_checked]}) as http,
        ):
            health = http.get("/health")
            assert health.status_code == 503
            assert health.json()["status"] == "unavailable"

            pushed = http.post(
                "/v1/push", headers=bearer("pkh_any"), json={"site": "a", "events": [event()]}
            )
            problem(pushed, 503, "unavailable")
            pulled = http.get("/v1/changes", headers=bearer("pkh_any"))
            problem(pulled, 503, "unavailable")
            looked_up = http.post(
                "/v1/progress/lookup", headers=bearer("pkh_any"), json={"code": CODE}
            )
            problem(looked_up, 503, "unavailable")
    finally:
        pool.close()
