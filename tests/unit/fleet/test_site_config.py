"""The site config from the hub on the terminal: checked again, pending until applied, a bad one
refused with its lines while the last good one stays, and the terminal's own keys kept."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from kiosk.config import SiteConfig, load_config
from kiosk.fleet.site_config import ConfigStore

PIN_HASH = "scrypt$16384$8$1$kFHOspYDu7+TloDvWwslpA==$T80Zc3ktSWziE2N0vWNLJ9Xk7d8g+hFgRJa2WoAw3tM="
LOCAL = f"""\
[site]
name = "Probierladen (local)"

[staff]
pin_hash = "{PIN_HASH}"

[hub]
url = "http://127.0.0.1:8765/"
site = "vhs"
token_file = "hub-token"
"""
GOOD = """\
[site]
name = "Stadtbibliothek"

[session]
idle_timeout_s = 120

[[devices]]
id = "tablet-1"
kind = "tablet"
name = "Tablet"
photo = "photos/tablet.svg"
"""


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def local(tmp_path: Path) -> SiteConfig:
    path = tmp_path / "etc" / "site.toml"
    path.parent.mkdir()
    path.write_text(LOCAL, encoding="utf-8")
    (tmp_path / "etc" / "photos").mkdir()
    (tmp_path / "etc" / "photos" / "tablet.svg").write_text("<svg/>", encoding="utf-8")
    return load_config(path)


@pytest.fixture
def store(tmp_path: Path) -> ConfigStore:
    return ConfigStore(tmp_path / "data" / "fleet" / "config")


def test_a_good_config_is_pending_then_applied_and_merged_with_the_local_keys(
    store: ConfigStore, local: SiteConfig, tmp_path: Path
) -> None:
    assert store.effective(local) == (local, "")
    assert store.offer(3, sha(GOOD), GOOD, local) == ""
    version, path = store.pending() or (0, Path())
    assert version == 3 and path.read_text(encoding="utf-8") == GOOD
    assert store.applied() is None
    assert store.effective(local)[0].site.name == "Probierladen (local)"  # not yet applied
    assert store.knows(3, sha(GOOD)) and not store.knows(3, sha(GOOD + "\n"))

    assert store.apply_pending() == 3
    assert store.apply_pending() is None
    assert (store.applied(), store.pending()) == ((3, sha(GOOD)), None)
    config, problem = store.effective(local)
    assert problem == ""
    assert (config.site.name, config.session.idle_timeout_s) == ("Stadtbibliothek", 120)
    assert config.hub == local.hub and config.staff.pin_hash == PIN_HASH
    assert config.source == local.source
    assert config.resolve(config.devices[0].photo) == tmp_path / "etc" / "photos" / "tablet.svg"
    # Another store on the same folder (the kiosk restarted) sees the same.
    assert ConfigStore(store.root).effective(local) == (config, "")


BAD = {
    "syntax": ("[site\nname = 1\n", "version 4: site.toml:1: syntax: "),
    "value": (GOOD.replace("120", "5"), "version 4: site.toml:5: session.idle_timeout_s: must"),
    "hub": (
        GOOD + '\n[hub]\nurl = "https://evil.example.org/"\nsite = "vhs"\n',
        "version 4: site.toml:13: hub: belongs to each terminal's own config",
    ),
    "pin": (
        GOOD.replace("[session]", f'[staff]\npin_hash = "{PIN_HASH}"\n\n[session]'),
        "version 4: site.toml:5: staff.pin_hash: belongs to each terminal's own config",
    ),
    "photo": (
        GOOD.replace("tablet.svg", "missing.svg"),
        "version 4: site.toml:11: devices[0].photo: no such file",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_config_is_refused_with_its_lines_and_the_last_good_one_stays(
    store: ConfigStore, local: SiteConfig, case: str
) -> None:
    store.offer(3, sha(GOOD), GOOD, local)
    store.apply_pending()
    body, expected = BAD[case]
    problem = store.offer(4, sha(body), body, local)
    assert problem.startswith(expected), problem
    assert store.problem() == problem
    assert store.refused() == {4: problem}
    assert store.knows(4, sha(body))
    assert store.pending() is None and store.apply_pending() is None
    assert store.applied() == (3, sha(GOOD))
    assert store.effective(local)[0].site.name == "Stadtbibliothek"
    # A good version after it: the problem is over.
    fixed = GOOD.replace("Stadtbibliothek", "Stadtteilzentrum")
    assert store.offer(5, sha(fixed), fixed, local) == ""
    assert store.problem() == ""
    assert store.refused() == {4: problem}  # still not fetched again


def test_a_body_that_is_not_the_one_named_is_refused(store: ConfigStore, local: SiteConfig) -> None:
    assert store.offer(2, sha(GOOD), GOOD + "# changed\n", local) == "version 2: hash mismatch"
    assert store.pending() is None


def test_a_newer_pending_config_replaces_an_older_one_and_its_file(
    store: ConfigStore, local: SiteConfig
) -> None:
    store.offer(3, sha(GOOD), GOOD, local)
    newer = GOOD.replace("120", "180")
    store.offer(4, sha(newer), newer, local)
    assert store.pending() == (4, store.root / "site-4.toml")
    assert sorted(p.name for p in store.root.glob("site-*.toml")) == ["site-4.toml"]
    store.apply_pending()
    assert store.effective(local)[0].session.idle_timeout_s == 180


def test_an_applied_config_that_no_longer_loads_falls_back_to_the_local_one(
    store: ConfigStore, local: SiteConfig, tmp_path: Path
) -> None:
    store.offer(3, sha(GOOD), GOOD, local)
    store.apply_pending()
    # The photo it names was deleted on this terminal.
    (tmp_path / "etc" / "photos" / "tablet.svg").unlink()
    config, problem = store.effective(local)
    assert config == local
    assert problem.startswith("version 3: site.toml:11: devices[0].photo: no such file")
    assert store.problem() == problem
    assert ConfigStore(store.root).problem() == problem  # the sync thread's store reports it
    # The file itself changed on disk.
    (tmp_path / "etc" / "photos" / "tablet.svg").write_text("<svg/>", encoding="utf-8")
    (store.root / "site-3.toml").write_text(GOOD + "\n# edited\n", encoding="utf-8")
    assert store.effective(local) == (local, "version 3: hash mismatch")
    (store.root / "site-3.toml").unlink()
    assert store.effective(local) == (
        local,
        "version 3: site.toml: cannot be read (FileNotFoundError)",
    )
    # Back in good order: the problem is over.
    (store.root / "site-3.toml").write_text(GOOD, encoding="utf-8")
    assert store.effective(local)[1] == ""
    assert ConfigStore(store.root).problem() == ""


def test_a_damaged_state_file_means_the_local_config(store: ConfigStore, local: SiteConfig) -> None:
    store.offer(3, sha(GOOD), GOOD, local)
    store.apply_pending()
    (store.root / "state.json").write_text("{", encoding="utf-8")
    assert store.effective(local) == (local, "")
    assert (store.applied(), store.pending(), store.refused()) == (None, None, {})
    (store.root / "state.json").write_text(
        json.dumps({"applied": {"version": "3"}, "refused": {"x": 1}}), encoding="utf-8"
    )
    assert (store.applied(), store.refused()) == (None, {})


def test_long_problems_are_cut_to_500_characters(store: ConfigStore, local: SiteConfig) -> None:
    body = "".join(f"[x{n}]\n" for n in range(100))
    problem = store.offer(2, sha(body), body, local)
    assert len(problem) == 500 and problem.endswith("…")
