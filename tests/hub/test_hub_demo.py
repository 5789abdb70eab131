"""`make hub-demo` sets up what its guide promises: two terminals of one site (they share
bookings), and with --library a third at another site (resume codes work city-wide); the staff
web desk's demo sign-in it prints works."""

from __future__ import annotations

from pathlib import Path

import psycopg

from kiosk.config import load_config
from kiosk.core.courses import check_courses, load_packages
from kiosk.hub.desk import accounts
from kiosk.tools.hub_demo import (
    DEMO_STAFF,
    DEMO_STAFF_PASSWORD,
    LIBRARY,
    TERMINALS,
    add_demo_staff,
    changed_course,
    desk_line,
    prepare,
)


def test_the_demo_terminals_a_and_b_share_one_site_and_the_library_has_its_own(
    empty_database: str, tmp_path: Path
) -> None:
    made = prepare(tmp_path, empty_database, "http://127.0.0.1:8470", (*TERMINALS, LIBRARY))
    configs = {terminal.name: load_config(path) for terminal, path in made}
    a, b, c = (configs[name] for name in ("terminal-a", "terminal-b", "terminal-c"))
    assert a.joined_hub and b.joined_hub and c.joined_hub
    assert a.hub.site == b.hub.site == "probierladen"
    assert c.hub.site == "bibliothek"
    # Each terminal's own file holds the site's config as the hub has it, so taking the hub's
    # first version into use does not rebuild the kiosks at the start of the demo.
    assert a.site.name == b.site.name == "Probierladen Jena"
    assert c.site.name == "Ernst-Abbe-Bibliothek"
    for terminal, path in made:
        token = (path.parent / "hub-token").read_text(encoding="utf-8").strip()
        assert token, terminal.name
    with psycopg.connect(empty_database) as conn:
        terminals = conn.execute("SELECT name, site FROM terminals ORDER BY name").fetchall()
        configs_on_hub = conn.execute(
            "SELECT site, count(*) FROM site_configs GROUP BY site ORDER BY site"
        ).fetchall()
    assert terminals == [
        ("terminal-a", "probierladen"),
        ("terminal-b", "probierladen"),
        ("terminal-c", "bibliothek"),
    ]
    # One config per site: the hub decides bookings by it; it holds no PIN hash.
    assert configs_on_hub == [("bibliothek", 1), ("probierladen", 1)]


def test_the_course_the_demo_publishes_is_the_next_version_marked_in_every_language(
    tmp_path: Path,
) -> None:
    folder = changed_course(tmp_path, 3)
    assert check_courses([folder]).ok
    [course] = load_packages([folder]).courses
    assert course.version == 3
    for language in course.languages:
        assert course.title_in(language, ()).endswith(" · v3"), language
    assert len(course.languages) == 8


def test_the_demo_sign_in_is_an_administrator_of_the_demo_sites(
    empty_database: str, tmp_path: Path
) -> None:
    prepare(tmp_path, empty_database, "http://127.0.0.1:8470", (*TERMINALS, LIBRARY))
    add_demo_staff(empty_database, (*TERMINALS, LIBRARY))
    with psycopg.connect(empty_database) as conn:
        user, stored = accounts.signing_in(conn, DEMO_STAFF)
    assert user is not None
    assert user.admin
    assert user.sites == ("bibliothek", "probierladen")
    assert accounts.verify_password(DEMO_STAFF_PASSWORD, stored)
    assert not accounts.verify_password(DEMO_STAFF_PASSWORD + "x", stored)
    assert desk_line("http://127.0.0.1:8470") == (
        "hub-demo: staff web desk at http://127.0.0.1:8470/desk/ — sign in as "
        f"demo / {DEMO_STAFF_PASSWORD}"
    )


def test_without_the_library_the_demo_sign_in_names_only_the_probierladen(
    empty_database: str, tmp_path: Path
) -> None:
    # The account may only name sites the hub has; without --library there is no library.
    prepare(tmp_path, empty_database, "http://127.0.0.1:8470")
    add_demo_staff(empty_database, TERMINALS)
    with psycopg.connect(empty_database) as conn:
        user, _stored = accounts.signing_in(conn, DEMO_STAFF)
    assert user is not None and user.admin
    assert user.sites == ("probierladen",)
