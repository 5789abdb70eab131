"""The site's config as the hub delivers it: checked again here, pending, applied when idle.

A config from the hub passes the same checks as `kiosk hub config push` (the schema, and no
terminal-local keys: `[hub]` and `staff.pin_hash`), with paths resolved as the terminal's own
config file resolves them. A good one waits as *pending* until the UI applies it at an idle
moment; a bad one is remembered as refused for its version (not fetched again) and the last
good one stays in use. The terminal's own file keeps what belongs to the terminal: where its
hub is, who it is, and its staff PIN.

Everything lives in ``data_dir/fleet/config``: ``site-<version>.toml`` bodies and
``state.json``, which names the applied and the pending version and is replaced in one rename.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from kiosk.config import ConfigError, SiteConfig, parse_config
from kiosk.config.terminal_local import terminal_local_problems
from kiosk.fleet.files import write_atomically

log = logging.getLogger("kiosk.fleet")

STATE = "state.json"
# What a problem is called in a report: the hub shows it beside the file the admin pushed.
BODY_NAME = "site.toml"
PROBLEM_MAX = 500
REFUSED_KEPT = 20


class ConfigStore:
    """The hub's configs of this terminal's site (``data_dir/fleet/config``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()

    def applied(self) -> tuple[int, str] | None:
        """(version, sha256) of the hub config in use, None while the local file is used."""
        entry = self._state().get("applied")
        return None if entry is None else (entry["version"], entry["sha256"])

    def pending(self) -> tuple[int, Path] | None:
        """(version, file) of a checked config waiting for the next idle moment."""
        entry = self._state().get("pending")
        return None if entry is None else (entry["version"], self._body(entry["version"]))

    def refused(self) -> dict[int, str]:
        """Refused versions and why (their problem lines)."""
        return {int(v): entry["problem"] for v, entry in self._state()["refused"].items()}

    def knows(self, version: int, sha256: str) -> bool:
        """Whether this config is applied, pending or refused already (not to be fetched)."""
        state = self._state()
        for key in ("applied", "pending"):
            entry = state.get(key)
            if entry is not None and (entry["version"], entry["sha256"]) == (version, sha256):
                return True
        refusal = state["refused"].get(str(version))
        return refusal is not None and refusal["sha256"] == sha256

    def problem(self) -> str:
        """Why the last config from the hub was refused, or why the applied one no longer
        loads ('version 4: site.toml:12: …'); empty when all is well. At most 500 characters."""
        state = self._state()
        return _bounded(state["problem"] or state["load_problem"])

    def offer(self, version: int, sha256: str, body: str, local: SiteConfig) -> str:
        """Check a config the hub sent. A good one becomes pending (returns ""); a bad one is
        refused for this version (returns its problem, also kept for `problem`)."""
        problems = check_body(body, sha256, local)
        with self._lock:
            state = self._state()
            if problems:
                text = _bounded(f"version {version}: " + "; ".join(problems))
                state["refused"][str(version)] = {"sha256": sha256, "problem": text}
                kept = sorted(state["refused"], key=int)[-REFUSED_KEPT:]
                state["refused"] = {key: state["refused"][key] for key in kept}
                state["problem"] = text
                self._write(state)
                log.warning("the site config from the hub was refused: %s", text)
                return text
            self.root.mkdir(parents=True, exist_ok=True)
            write_atomically(self._body(version), body.encode("utf-8"))
            state["pending"] = {"version": version, "sha256": sha256}
            state["problem"] = ""
            self._write(state)
            log.info("site config version %d from the hub waits for an idle moment", version)
            return ""

    def apply_pending(self) -> int | None:
        """The pending config becomes the applied one (one rename of the state); returns its
        version, or None when nothing was pending."""
        with self._lock:
            state = self._state()
            pending = state.get("pending")
            if pending is None:
                return None
            state["applied"], state["pending"] = pending, None
            state["load_problem"] = ""
            self._write(state)
            log.info("site config version %d from the hub applied", pending["version"])
            return int(pending["version"])

    def effective(self, local: SiteConfig) -> tuple[SiteConfig, str]:
        """The config to run with: the applied hub config with this terminal's `[hub]` and
        staff PIN hash (paths resolve from the local file), or, when none is applied or it no
        longer loads, the local config and why (empty when all is well)."""
        applied = self._state().get("applied")
        if applied is None:
            return local, ""
        version, sha256 = applied["version"], applied["sha256"]
        try:
            body = self._body(version).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems = [f"{BODY_NAME}: cannot be read ({type(error).__name__})"]
        else:
            problems = check_body(body, sha256, local)
        # Kept in the state: the sync thread's store reports it, while the UI's store loads.
        load_problem = _bounded(f"version {version}: " + "; ".join(problems)) if problems else ""
        self._note_load_problem(load_problem)
        if problems:
            log.error("the applied site config no longer loads: %s", load_problem)
            return local, load_problem
        return merged(parse_config(body, BODY_NAME, source=local.source), local), ""

    def _note_load_problem(self, text: str) -> None:
        with self._lock:
            state = self._state()
            if state["load_problem"] != text:
                state["load_problem"] = text
                try:
                    self._write(state)
                except OSError as error:  # the kiosk starts anyway; the report may miss it
                    log.warning("the site config's state could not be written (%s)", error)

    def _body(self, version: int) -> Path:
        return self.root / f"site-{version}.toml"

    def _state(self) -> dict[str, Any]:
        """The state file, read afresh (the sync thread and the UI share it); damaged parts
        count as absent."""
        try:
            data = json.loads((self.root / STATE).read_bytes())
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError) as error:
            log.error("the hub configs' state cannot be read (%s); the local config is used", error)
            data = {}
        if not isinstance(data, dict):
            data = {}
        refused = data.get("refused")
        return {
            "applied": _entry(data.get("applied")),
            "pending": _entry(data.get("pending")),
            "refused": {
                key: value
                for key, value in (refused.items() if isinstance(refused, dict) else ())
                if key.isdigit()
                and isinstance(value, dict)
                and isinstance(value.get("sha256"), str)
                and isinstance(value.get("problem"), str)
            },
            "problem": _text(data.get("problem")),
            "load_problem": _text(data.get("load_problem")),
        }

    def _write(self, state: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomically(self.root / STATE, json.dumps({"format": 1, **state}).encode("utf-8"))
        # Bodies neither applied nor pending are of no more use.
        used = {
            self._body(state[key]["version"]).name
            for key in ("applied", "pending")
            if state[key] is not None
        }
        for path in self.root.glob("site-*.toml"):
            if path.name not in used:
                path.unlink(missing_ok=True)


def check_body(body: str, sha256: str, local: SiteConfig) -> list[str]:
    """Why a config text from the hub cannot be this terminal's, one FILE:LINE line each."""
    if hashlib.sha256(body.encode("utf-8")).hexdigest() != sha256:
        return ["hash mismatch"]
    try:
        parse_config(body, BODY_NAME, source=local.source)
    except ConfigError as error:
        return [str(problem) for problem in error.problems]
    return [str(problem) for problem in terminal_local_problems(body, BODY_NAME)]


def merged(hub_config: SiteConfig, local: SiteConfig) -> SiteConfig:
    """The hub's config with this terminal's own keys, read as if from the local file."""
    staff = replace(hub_config.staff, pin_hash=local.staff.pin_hash)
    return replace(hub_config, hub=local.hub, staff=staff, source=local.source)


def _entry(value: object) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    version, sha256 = value.get("version"), value.get("sha256")
    if not (isinstance(version, int) and version > 0 and isinstance(sha256, str)):
        return None
    return {"version": version, "sha256": sha256}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _bounded(text: str) -> str:
    return text if len(text) <= PROBLEM_MAX else text[: PROBLEM_MAX - 1] + "…"
