"""Bookings shared by the terminals of a site through a real hub over PostgreSQL: what one
terminal books, checks in, cancels or marks reaches the others; the hub confirms or refuses a
booking while the visitor waits, and without an answer the site's offline policy decides."""

from __future__ import annotations

import dataclasses
import json
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg
import pytest

from kiosk.config import load_config
from kiosk.core.bookings import (
    CODE_LENGTH,
    BookingProblem,
    BookingRequest,
    BookingStatus,
    CheckInStatus,
    DeviceStatus,
    HubRefusal,
    LookupStatus,
    SharedBooking,
)
from kiosk.core.resume_codes import generate_code
from kiosk.storage.sync_store import SyncStore
from kiosk.sync.client import HubClient, hub_settings
from kiosk.sync.worker import shared_changes
from tests.hub.booking_terminals import (
    free_slots,
    hub_bookings,
    hub_usage,
    kiosk,
    set_hub,
    set_offline_policy,
    sync_once,
    wait_for,
)
from tests.hub.servers import Terminal, add_site, make_terminal, threaded_hub
from tests.unit.test_config import run_cli

NOWHERE = "http://127.0.0.1:9/"  # nothing listens there: connections are refused at once


def outbox_kinds(terminal: Terminal) -> list[str]:
    with SyncStore.open(terminal.data_dir) as store:
        return [row.kind for row in store.outbox.pending(1000)]


def test_a_booking_on_a_is_on_b_after_its_next_pull_and_b_s_changes_come_back(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        a = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        b = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-2")
        with kiosk(a) as at_a, kiosk(b) as at_b:
            first, second = free_slots(at_a.service, "tablet-1", 30, 2)
            made = [at_a.book(first, "Anna")[1].booking, at_a.book(second, "Ben")[1].booking]
            assert all(booking and booking.status is BookingStatus.CONFIRMED for booking in made)
            anna, ben = (booking for booking in made if booking is not None)
            assert at_b.service.booking(anna.code) is None  # B has not pulled yet

            assert sync_once(b).shared >= 2
            there = at_b.reload(anna)
            assert (there.uid, there.start, there.end, there.name, there.status) == (
                anna.uid,
                anna.start,
                anna.end,
                "Anna",
                BookingStatus.CONFIRMED,
            )
            assert at_b.service.free_slots("tablet-1", first.start.date(), 30).count(first) == 0

            # Staff at B: Anna arrives (B's clock at her start; her tablet needs wiping after
            # her), Ben's booking is cancelled, and tablet-2 breaks.
            at_start = dataclasses.replace(at_b.service, clock=lambda: anna.start)
            assert at_start.check_in(anna.code).status is CheckInStatus.CHECKED_IN
            assert at_b.service.cancel(at_b.reload(ben).id, staff=True)
            at_b.service.set_device_status("tablet-2", DeviceStatus.BROKEN)
            assert outbox_kinds(b).count("booking") == 4
            sync_once(b)
            assert outbox_kinds(b).count("booking") == 0

            assert sync_once(a).shared >= 4
            assert at_a.reload(anna).status is BookingStatus.CHECKED_IN
            assert at_a.reload(ben).status is BookingStatus.CANCELLED
            assert at_a.service.status_of("tablet-1") is DeviceStatus.NEEDS_WIPING
            assert at_a.service.status_of("tablet-2") is DeviceStatus.BROKEN
    statuses = {row.uid: row.status for row in hub_bookings(hub_database)}
    assert statuses == {anna.uid: "checked_in", ben.uid: "cancelled"}


def test_the_sync_threads_carry_a_booking_and_its_cancellation_within_seconds(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        a = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        b = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-2")
        with kiosk(a, sync_thread=True) as at_a, kiosk(b, sync_thread=True) as at_b:
            for each in (at_a, at_b):
                sync = each.desk.sync
                assert sync is not None
                wait_for(lambda sync=sync: sync.status().state == "online")  # type: ignore[misc]
            (slot,) = free_slots(at_a.service, "phone-1", 30, 1)
            booked = at_a.book(slot)[1].booking
            assert booked is not None and booked.status is BookingStatus.CONFIRMED
            at_a.desk.changed()
            assert wait_for(lambda: at_b.service.booking(booked.code) is not None) < 5

            # Cancelled at B's desk: the kiosk's desk sends it at once.
            assert at_b.service.cancel(at_b.reload(booked).id, staff=True)
            at_b.desk.changed()
            assert wait_for(lambda: at_a.reload(booked).status is BookingStatus.CANCELLED) < 5
            sync_b = at_b.desk.sync
            assert sync_b is not None and sync_b.status().shared_kept >= 1


def test_online_a_booking_is_confirmed_with_the_hub_s_code_and_a_retry_is_the_same_booking(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        a = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        b = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-2")
        with kiosk(a) as at_a, kiosk(b) as at_b:
            first, second = free_slots(at_a.service, "tablet-1", 30, 2)
            request, outcome = at_a.book(first)
            booking = outcome.booking
            assert request is not None and booking is not None
            assert booking.status is BookingStatus.CONFIRMED and booking.uid == request.uid
            (row,) = hub_bookings(hub_database)
            assert (row.uid, row.code, row.status) == (booking.uid, booking.code, "confirmed")

            # B drew the code A's booking has at the hub: the hub gives another, B adopts it.
            checked = at_b.service.request_booking("tablet-1", second.start, 30, "Ben")
            assert isinstance(checked, BookingRequest)
            clashing = dataclasses.replace(checked, code=booking.code)
            answer = at_b.desk.book_at_hub(clashing)
            assert isinstance(answer, SharedBooking) and answer.uid == clashing.uid
            assert answer.code != booking.code and answer.status == "confirmed"
            settled = at_b.service.settle_booking(clashing, answer).booking
            assert settled is not None and settled.code == answer.code
            assert at_b.service.find(answer.code).status is LookupStatus.FOUND

            # The answer was lost, say: asked again with the same uid, the same booking.
            assert at_b.desk.book_at_hub(clashing) == answer
            again = at_b.service.settle_booking(clashing, answer).booking
            assert again is not None and again.id == settled.id
    assert len(hub_bookings(hub_database)) == 2


def test_a_time_taken_at_another_terminal_is_refused_by_the_hub_with_the_next_free_times(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        a = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        b = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-2")
        with kiosk(a) as at_a, kiosk(b) as at_b:
            (slot,) = free_slots(at_a.service, "tablet-1", 30, 1)
            assert at_b.book(slot, "Ben")[1].ok
            # A has not pulled B's booking: its own check lets the request through.
            checked = at_a.service.request_booking("tablet-1", slot.start, 30, "Anna")
            assert isinstance(checked, BookingRequest)
            answer = at_a.desk.book_at_hub(checked)
            assert isinstance(answer, HubRefusal)
            assert answer.problem is BookingProblem.OVERLAP
            offered = answer.alternatives
            assert 0 < len(offered) <= 5
            for free in offered:
                assert free.device_id in ("tablet-1", "tablet-2")  # its kind
                assert free.start.tzinfo is not None
                assert str(free.start.tzinfo) == "Europe/Berlin"
                assert free.minutes > 0
                assert free.start >= slot.start
                assert not (free.device_id == "tablet-1" and free.start < slot.end)
            outcome = at_a.service.settle_booking(checked, answer)
            assert outcome.booking is None and outcome.problem is BookingProblem.OVERLAP
            assert outcome.alternatives == offered
            assert at_a.service.day(slot.start.date()) == []  # nothing kept here
            # The times offered are free indeed: the first one is booked at once.
            taken = at_a.book(offered[0], "Anna")[1].booking
            assert taken is not None and taken.status is BookingStatus.CONFIRMED
    assert len(hub_bookings(hub_database)) == 2


@pytest.mark.parametrize("policy", ["provisional", "refuse"])
def test_without_the_hub_the_site_s_offline_policy_decides(
    policy: str, hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    terminal = make_terminal(tmp_path, hub_database, NOWHERE, "vhs", "vhs-1")
    set_offline_policy(terminal, policy)
    with kiosk(terminal) as here:
        (slot,) = free_slots(here.service, "tablet-1", 30, 1)
        started = time.monotonic()
        request, outcome = here.book(slot)
        assert time.monotonic() - started < 2
        assert request is not None
        if policy == "provisional":
            booking = outcome.booking
            assert booking is not None and booking.status is BookingStatus.PROVISIONAL
            assert (booking.uid, booking.code) == (request.uid, request.code)
            assert outbox_kinds(terminal).count("booking") == 1  # the hub decides later
            assert here.service.find(booking.code).booking == booking
        else:
            assert outcome.booking is None and outcome.problem is BookingProblem.NO_NETWORK
            assert here.service.day(slot.start.date()) == []
            assert outbox_kinds(terminal) == []


@contextmanager
def silent_hub() -> Iterator[str]:
    """A port that takes connections and never answers (a hub stuck, or a network black hole
    after the handshake)."""
    listener = socket.create_server(("127.0.0.1", 0))
    taken: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                taken.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()
        for each in taken:
            each.close()


def test_the_visitor_waits_for_the_hub_at_most_the_configured_time(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with silent_hub() as url:
        terminal = make_terminal(tmp_path, hub_database, url, "vhs", "vhs-1")
        set_hub(terminal, timeout_s=0.5)
        with kiosk(terminal) as here:
            (slot,) = free_slots(here.service, "tablet-1", 30, 1)
            started = time.monotonic()
            _request, outcome = here.book(slot)
            waited = time.monotonic() - started
    assert 0.5 <= waited < 1.5
    assert outcome.booking is not None and outcome.booking.status is BookingStatus.PROVISIONAL


def test_a_provisional_booking_is_decided_by_the_hub_on_the_next_sync(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    terminal = make_terminal(tmp_path, hub_database, NOWHERE, "vhs", "vhs-1")
    with kiosk(terminal) as here:
        (tablet,) = free_slots(here.service, "tablet-1", 30, 1)
        (headset,) = free_slots(here.service, "vr-1", 30, 1)
        made = [here.book(tablet)[1].booking, here.book(headset, "Ben")[1].booking]
    assert all(booking and booking.status is BookingStatus.PROVISIONAL for booking in made)
    with threaded_hub(hub_database) as hub:
        set_hub(terminal, url=hub)
        report = sync_once(terminal)
        assert report.pushed >= 2 and report.shared >= 2
    with kiosk(terminal) as here:
        # The hub confirms the tablet, and the headset waits for staff approval as on the
        # screen; both keep the code the visitor carries.
        now = [here.reload(booking) for booking in made if booking is not None]
        assert [booking.status for booking in now] == [
            BookingStatus.CONFIRMED,
            BookingStatus.PENDING,
        ]
        assert [(b.uid, b.code) for b in now] == [(b.uid, b.code) for b in made if b]
    assert [(row.code, row.status) for row in hub_bookings(hub_database)] == [
        (now[0].code, "confirmed"),
        (now[1].code, "pending"),
    ]


def test_a_booking_change_the_hub_cannot_take_is_set_aside_and_the_others_arrive(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    terminal = make_terminal(tmp_path, hub_database, NOWHERE, "vhs", "vhs-1")
    with kiosk(terminal) as here:
        first, second = free_slots(here.service, "tablet-1", 30, 2)
        made = [here.book(first)[1].booking]
        # Between the two bookings a change no hub takes (a hub never holds "provisional"),
        # as a terminal of another version might have queued it.
        assert made[0] is not None
        bad = {
            "id": str(uuid.uuid4()),
            "op": "status",
            "uid": made[0].uid,
            "status": "provisional",
            "expected": ["confirmed"],
            "at_ts": int(time.time()),
        }
        with sqlite3.connect(terminal.data_dir / "kiosk.sqlite3") as db:
            db.execute(
                "INSERT INTO outbox (id, kind, body, created_at) VALUES (?, 'booking', ?, ?)",
                [bad["id"], json.dumps(bad), "2026-12-01T10:00:00+00:00"],
            )
        made.append(here.book(second, "Ben")[1].booking)
    with threaded_hub(hub_database) as hub:
        set_hub(terminal, url=hub)
        report = sync_once(terminal)
    assert report.set_aside == 1
    with SyncStore.open(terminal.data_dir) as store:
        backlog = store.outbox.backlog()
    assert (backlog.rows, backlog.set_aside) == (0, 1)
    assert [(row.uid, row.status) for row in hub_bookings(hub_database)] == [
        (booking.uid, "confirmed") for booking in made if booking is not None
    ]


def test_a_no_show_is_counted_once_by_the_hub_not_by_every_terminal(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        a = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        b = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-2")
        with kiosk(a) as at_a, kiosk(b) as at_b:
            # A walk-in booked at A's desk 20 minutes ago (no_show_minutes = 15): the visitor
            # never came back to check in.
            now = int(time.time())
            code = generate_code(length=CODE_LENGTH)
            storage = at_a.desk.storage
            assert storage is not None
            added = storage.bookings.add(
                uid=uuid.uuid4().hex,
                code=code,
                device_id="tablet-1",
                device_kind="tablet",
                start_ts=now - 20 * 60,
                end_ts=now + 10 * 60,
                block_until_ts=now + 20 * 60,
                name="Anna",
                status="confirmed",
                walk_in=True,
                now_ts=now - 20 * 60,
            )
            assert added.id is not None
            sync_once(a)
            sync_once(b)
            # Both terminals release it for their screens (the kiosk does it twice a minute).
            for each in (at_a, at_b):
                each.desk.release_no_shows()
                assert each.reload_code(code).status is BookingStatus.NO_SHOW
            # The hub releases it for the site: here when it next decides a booking.
            (slot,) = free_slots(at_b.service, "phone-1", 30, 1)
            assert at_b.book(slot, "Ben")[1].ok
            assert [row.status for row in hub_bookings(hub_database)] == ["no_show", "confirmed"]
            for terminal in (a, b, a):
                sync_once(terminal)
            assert at_a.reload_code(code).status is BookingStatus.NO_SHOW
    assert hub_usage(hub_database, "booking_no_show") == 1
    assert hub_usage(hub_database, "booking_created") == 1  # Ben's, counted by B


# -- answers the terminal does not take as a booking -----------------------------------------


@contextmanager
def answering(status: int, body: object) -> Iterator[str]:
    """A server that gives every POST the same answer (a broken proxy, a hub of another
    version)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            raw = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _record(**changes: object) -> dict[str, object]:
    record: dict[str, object] = {
        "uid": "",  # the request's
        "code": "ACDEFG",
        "device_id": "tablet-1",
        "device_kind": "tablet",
        "start_ts": 1_796_000_000,
        "end_ts": 1_796_001_800,
        "block_until_ts": 1_796_002_400,
        "name": "Anna",
        "status": "confirmed",
        "walk_in": False,
        "moved": False,
        "updated_ts": 1_795_000_000,
    }
    return {**record, **changes}


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, b"<html>proxy error</html>"),
        (200, [1, 2]),
        (200, {"uid": "x"}),
        (200, _record(start_ts="1796000000")),
        (200, _record(walk_in=0)),
        (200, _record(start_ts=True)),
        (200, _record(status="provisional")),
        (200, _record(code="ABCDEF")),
        (200, _record(end_ts=1_795_999_000)),
        (200, _record(uid="0" * 32)),  # about another booking
        (409, {"error": "refused", "alternatives": [{"device_id": "tablet-1"}]}),
        (409, {"error": "conflict"}),
        (404, {"error": "no_config"}),
        (401, {"error": "unauthorized"}),
        (403, {"error": "wrong_site"}),
        (422, {"error": "invalid"}),
        (500, {"error": "internal"}),
        (503, {"error": "unavailable"}),
    ],
    ids=lambda value: str(value)[:40] if not isinstance(value, int) else str(value),
)
def test_an_answer_that_is_not_a_decision_counts_as_no_answer(
    status: int, body: object, tmp_path: Path, hub_database: str
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with answering(status, body) as url:
        terminal = make_terminal(tmp_path, hub_database, url, "vhs", "vhs-1")
        with kiosk(terminal) as here:
            (slot,) = free_slots(here.service, "tablet-1", 30, 1)
            checked = here.service.request_booking("tablet-1", slot.start, 30, "Anna")
            assert isinstance(checked, BookingRequest)
            if isinstance(body, dict) and body.get("uid") == "":
                body["uid"] = checked.uid
            assert here.desk.book_at_hub(checked) is None


def test_a_pulled_record_the_terminal_cannot_read_is_left_out_and_the_rest_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    good = _record(uid="a" * 32)
    page = {
        "bookings": [_record(uid="b" * 32, moved="yes"), good, _record(uid="c" * 32, name=7)],
        "devices": [
            {"device_id": "tablet-1", "status": "broken", "changed_ts": 1_795_000_000},
            {"device_id": "tablet-2", "status": "exploded", "changed_ts": 1_795_000_000},
        ],
    }
    bookings, devices = shared_changes(page)
    assert [booking.uid for booking in bookings] == ["a" * 32]
    assert [(device.device_id, device.status) for device in devices] == [("tablet-1", "broken")]
    assert caplog.text.count("cannot be read") == 3
    assert "Anna" not in caplog.text
    assert shared_changes({"bookings": "all", "progress": []}) == ([], [])


def test_a_refusal_for_a_reason_this_terminal_does_not_know_reads_as_just_taken(
    tmp_path: Path, hub_database: str
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    offered = {"device_id": "tablet-2", "start_ts": 1_796_000_000, "end_ts": 1_796_001_800}
    refused = {"error": "refused", "problem": "visitor_limit", "alternatives": [offered]}
    with answering(409, refused) as url:
        terminal = make_terminal(tmp_path, hub_database, url, "vhs", "vhs-1")
        with kiosk(terminal) as here:
            (slot,) = free_slots(here.service, "tablet-1", 30, 1)
            checked = here.service.request_booking("tablet-1", slot.start, 30, "Anna")
            assert isinstance(checked, BookingRequest)
            answer = here.desk.book_at_hub(checked)
    assert isinstance(answer, HubRefusal) and answer.problem is BookingProblem.OVERLAP
    (free,) = answer.alternatives
    assert (free.device_id, int(free.start.timestamp()), free.minutes) == (
        "tablet-2",
        1_796_000_000,
        30,
    )
    assert str(free.start.tzinfo) == "Europe/Berlin"


def test_no_config_of_the_site_on_the_hub_or_a_refused_token_is_no_answer(
    hub_database: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with psycopg.connect(hub_database) as conn:  # a site enrolled before any config was pushed
        conn.execute("INSERT INTO sites (id) VALUES ('library')")
    with threaded_hub(hub_database) as hub:
        terminal = make_terminal(tmp_path, hub_database, hub, "library", "library-1")
        with kiosk(terminal) as here:
            (slot,) = free_slots(here.service, "tablet-1", 30, 1)
            request, outcome = here.book(slot, "Anna")
            assert request is not None
            assert outcome.booking is not None
            assert outcome.booking.status is BookingStatus.PROVISIONAL
            assert "no config of this site" in caplog.text
            settings = hub_settings(load_config(terminal.config))
            unknown = dataclasses.replace(settings, token="not-a-token")  # noqa: S106
            with HubClient(unknown) as client:
                assert client.book(request) is None
            assert "the hub refuses this terminal" in caplog.text
    # Nothing of the visitor in the log: neither the name nor the code.
    assert "Anna" not in caplog.text and request.code not in caplog.text


# -- `kiosk bookings add` on a joined terminal -------------------------------------------------


def test_kiosk_bookings_add_asks_the_hub_and_books_provisionally_without_it(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with threaded_hub(hub_database) as hub:
        terminal = make_terminal(tmp_path, hub_database, hub, "vhs", "vhs-1")
        with kiosk(terminal) as here:
            first, second = free_slots(here.service, "tablet-1", 30, 2)

        def add(start: str, name: str) -> tuple[int, str, str]:
            result = run_cli(
                "bookings",
                "add",
                "--config",
                str(terminal.config),
                "--device",
                "tablet-1",
                "--start",
                start,
                "--minutes",
                "30",
                "--name",
                name,
                data_dir=terminal.data_dir,
            )
            return result.returncode, result.stdout, result.stderr

        code, out, err = add(first.start.isoformat(), "Anna")
        assert code == 0, err
        (row,) = hub_bookings(hub_database)
        printed = f"{row.code[:3]}-{row.code[3:]}"
        assert out.startswith(f"{printed} confirmed: tablet-1 {first.start:%Y-%m-%d %H:%M}-")
        # The same time again: the hub refuses it (here it is known too).
        code, out, err = add(first.start.isoformat(), "Ben")
        assert code == 1 and "refused: the device is already booked" in err
        assert "next free: tablet-" in err

    # The hub is gone: the booking is provisional, and waits in the outbox.
    set_hub(terminal, url=NOWHERE)
    local = second.start.astimezone(second.start.tzinfo).strftime("%Y-%m-%dT%H:%M")
    code, out, err = add(local, "Cem")
    assert code == 0, err
    assert " provisional: tablet-1 " in out and "the hub did not answer in time" in out
    assert outbox_kinds(terminal).count("booking") == 1
    with kiosk(terminal) as here:
        printed = out.split()[0]
        found = here.service.find(printed)
        assert found.booking is not None and found.booking.status is BookingStatus.PROVISIONAL
        assert found.booking.start == second.start
    assert len(hub_bookings(hub_database)) == 1


def test_kiosk_bookings_add_on_a_joined_site_that_refuses_offline_bookings(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    terminal = make_terminal(tmp_path, hub_database, NOWHERE, "vhs", "vhs-1")
    set_offline_policy(terminal, "refuse")
    with kiosk(terminal) as here:
        (slot,) = free_slots(here.service, "tablet-1", 30, 1)
    result = run_cli(
        "bookings",
        "add",
        "--config",
        str(terminal.config),
        "--device",
        "tablet-1",
        "--start",
        slot.start.isoformat(),
        "--minutes",
        "30",
        "--name",
        "Anna",
        data_dir=terminal.data_dir,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "bookings add: refused: the hub cannot be reached and this site books only through it "
        '([bookings] offline_bookings = "refuse")'
    ]
