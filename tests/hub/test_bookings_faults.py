"""The faults of shared bookings, against a real PostgreSQL and a real hub process: twenty
terminals booking the same slots at once, two terminals booking one slot while the hub is down,
and the hub killed while a terminal waits for its answer."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from kiosk.core.bookings import BookingRequest, BookingStatus, LookupStatus
from kiosk.core.resume_codes import format_code
from kiosk.hub.devcluster import free_port
from tests.hub.booking_slots import open_slots
from tests.hub.booking_terminals import free_slots, hub_bookings, kiosk, set_hub, sync_once
from tests.hub.servers import REPO, HubProcess, add_site, make_terminal

TERMINALS = 20
SLOTS = 50


@pytest.mark.slow
def test_twenty_terminals_booking_the_same_fifty_slots_at_once_get_one_booking_each(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    slots = open_slots(SLOTS, days_ahead=2)
    listed = tmp_path / "slots.json"
    listed.write_text(
        json.dumps([[slot.device_id, slot.start.isoformat(), slot.minutes] for slot in slots])
    )
    with HubProcess(hub_database, tmp_path / "hub.log") as hub:
        terminals = [
            make_terminal(tmp_path, hub_database, hub.url, "vhs", f"vhs-{n}")
            for n in range(TERMINALS)
        ]
        for terminal in terminals:
            # A thousand requests at once on a test machine may keep one waiting longer than a
            # visitor would (it would be booked provisionally): here every one must be decided.
            set_hub(terminal, timeout_s=30.0)
        children = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.hub.booking_child",
                    str(terminal.config),
                    str(terminal.data_dir),
                    str(listed),
                    str(n),
                ],
                cwd=REPO,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n, terminal in enumerate(terminals)
        ]
        try:
            for child in children:  # every terminal has its database and service open
                assert child.stdout is not None
                assert child.stdout.readline().strip() == "ready"
            for child in children:  # and then they all book at once
                assert child.stdin is not None
                child.stdin.write("go\n")
                child.stdin.flush()
            outputs = [child.communicate(timeout=300) for child in children]
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()
                    child.communicate()
    for child, (_out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err[-3000:]
    told = [json.loads(out.strip().splitlines()[-1]) for out, _err in outputs]

    # At the hub: exactly one booking per slot, confirmed.
    rows = hub_bookings(hub_database)
    assert len(rows) == SLOTS
    by_slot = {(row.device_id, row.start): row for row in rows}
    assert set(by_slot) == {(slot.device_id, slot.start) for slot in slots}
    assert {row.status for row in rows} == {"confirmed"}

    # At the terminals: every visitor was asked through the hub; one was told "confirmed" per
    # slot — with the hub's booking — and every other one "just taken" with the next free times.
    winners: Counter[int] = Counter()
    for answers in told:
        assert sorted(answer["slot"] for answer in answers) == list(range(SLOTS))
        for answer in answers:
            slot = slots[answer["slot"]]
            assert answer["asked"], answer
            if answer["status"] == "confirmed":
                winners[answer["slot"]] += 1
                assert answer["uid"] == by_slot[(slot.device_id, slot.start)].uid
                assert answer["code"] == by_slot[(slot.device_id, slot.start)].code
                continue
            assert answer["status"] == "refused", answer  # never provisional: the hub answered
            assert answer["problem"] in ("overlap", "buffer"), answer
            offered = answer["alternatives"]
            assert 0 < len(offered) <= 5, answer
            for device_id, start, _end in offered:
                assert device_id in ("tablet-1", "tablet-2", "phone-1", "ereader-1")
                assert not (device_id == slot.device_id and start == slot.start.isoformat())
    assert winners == Counter(range(SLOTS)), winners


def test_two_terminals_booking_one_slot_offline_get_one_booking_and_one_conflict(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    hub = HubProcess(hub_database, tmp_path / "hub.log")  # not started: the network is down
    a = make_terminal(tmp_path, hub_database, hub.url, "vhs", "vhs-1")
    b = make_terminal(tmp_path, hub_database, hub.url, "vhs", "vhs-2")
    with kiosk(a) as at_a, kiosk(b) as at_b:
        (slot,) = free_slots(at_a.service, "tablet-1", 30, 1)
        anna = at_a.book(slot, "Anna")[1].booking
        ben = at_b.book(slot, "Ben")[1].booking
        assert anna is not None and ben is not None
        assert anna.status is ben.status is BookingStatus.PROVISIONAL
        with hub:
            for terminal in (a, b, a):  # A is first back online, B next, then A pulls again
                sync_once(terminal)
            at_hub = {row.uid: row.status for row in hub_bookings(hub_database)}
            assert at_hub == {anna.uid: "confirmed", ben.uid: "conflict"}
            for here in (at_a, at_b):
                assert here.reload(anna).status is BookingStatus.CONFIRMED
                assert here.reload(ben).status is BookingStatus.CONFLICT
                (conflict,) = here.service.conflicts()
                assert conflict.uid == ben.uid
                # Ben looks his booking up by its code, at either terminal.
                lookup = here.service.find(format_code(ben.code))
                assert lookup.status is LookupStatus.FOUND and lookup.booking is not None
                assert lookup.booking.status is BookingStatus.CONFLICT

            # Staff at A give Ben one of the next free times of his kind.
            conflict = at_a.reload(ben)
            offered = at_a.service.alternatives(conflict)
            assert offered and all(free.device_id.startswith("tablet-") for free in offered)
            new_time = offered[0]
            assert at_a.service.reschedule(conflict.id, new_time) is None
            moved = at_a.reload(ben)
            assert (moved.status, moved.moved) == (BookingStatus.PROVISIONAL, True)
            for terminal in (a, b):
                sync_once(terminal)
        for here in (at_a, at_b):
            lookup = here.service.find(ben.code)
            shown = lookup.booking
            assert shown is not None and shown.code == ben.code
            assert (shown.device_id, shown.start, shown.end) == (
                new_time.device_id,
                new_time.start,
                new_time.start + (ben.end - ben.start),
            )
            assert shown.moved and shown.status is BookingStatus.CONFIRMED
            assert here.service.conflicts() == []
            assert here.reload(anna).status is BookingStatus.CONFIRMED
    at_hub_rows = {row.uid: row for row in hub_bookings(hub_database)}
    assert (at_hub_rows[ben.uid].status, at_hub_rows[ben.uid].moved) == ("confirmed", True)
    assert at_hub_rows[ben.uid].start == new_time.start
    assert at_hub_rows[anna.uid].status == "confirmed"


class KillingProxy:
    """Stands between a terminal and the hub process and forwards every connection. Armed, it
    kills the hub (SIGKILL) the moment the hub's answer to a booking request arrives, before a
    byte of it reaches the terminal: the hub has decided and stored the booking, the terminal
    never hears of it."""

    def __init__(self, hub: HubProcess) -> None:
        self._hub = hub
        self._listener = socket.create_server(("127.0.0.1", free_port()))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.armed = threading.Event()
        self.killed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            try:
                upstream = socket.create_connection(("127.0.0.1", self._hub.port), timeout=5)
            except OSError:
                return  # the hub is down: the terminal's connection just closes
            with upstream:
                upstream.settimeout(None)
                first = client.recv(65536)
                upstream.sendall(first)
                threading.Thread(target=_pump, args=(client, upstream), daemon=True).start()
                if self.armed.is_set() and first.startswith(b"POST /v1/bookings "):
                    self.armed.clear()
                    upstream.recv(1)  # the hub's answer begins: it has decided
                    self._hub.kill()
                    self.killed.set()
                    return
                _pump(upstream, client)


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        for each in (source, target):
            with suppress(OSError):
                each.shutdown(socket.SHUT_RDWR)


@contextmanager
def killing_proxy(hub: HubProcess) -> Iterator[KillingProxy]:
    proxy = KillingProxy(hub)
    try:
        yield proxy
    finally:
        proxy.close()


def test_the_hub_killed_while_a_terminal_waits_for_it_leaves_one_booking_after_its_retry(
    hub_database: str, tmp_path: Path
) -> None:
    add_site(hub_database, "vhs", tmp_path)
    with HubProcess(hub_database, tmp_path / "hub.log") as hub, killing_proxy(hub) as proxy:
        terminal = make_terminal(tmp_path, hub_database, proxy.url, "vhs", "vhs-1")
        with kiosk(terminal) as here:
            (slot,) = free_slots(here.service, "tablet-1", 30, 1)
            proxy.armed.set()
            request, outcome = here.book(slot, "Anna")
            assert proxy.killed.is_set()
            assert isinstance(request, BookingRequest)
            # No answer: the visitor has a provisional booking under the request's uid, and the
            # hub has the booking it decided before it died.
            booking = outcome.booking
            assert booking is not None and booking.status is BookingStatus.PROVISIONAL
            assert booking.uid == request.uid
            (row,) = hub_bookings(hub_database)
            assert (row.uid, row.status) == (request.uid, "confirmed")

            hub.start()
            sync_once(terminal)  # sends the booking again, same uid: the hub has it already
            (row,) = hub_bookings(hub_database)
            assert (row.uid, row.code, row.status) == (request.uid, row.code, "confirmed")
            kept = here.reload(booking)
            assert kept.status is BookingStatus.CONFIRMED and kept.code == row.code
            assert here.service.find(kept.code).booking == kept
            # Asked once more with the same request (a screen's retry): the same booking.
            again = here.desk.book_at_hub(request)
            assert again is not None and getattr(again, "uid", None) == request.uid
    assert len(hub_bookings(hub_database)) == 1
