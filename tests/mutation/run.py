"""`make mutation`: mutation testing of the modules that carry the kiosk's guarantees.

mutmut (configured in pyproject.toml, [tool.mutmut]: which modules, which tests) mutates the
Python code; tests/mutation/sql_triggers.py mutates the overlap triggers' SQL. Both run in a copy
of the work tree under build/mutation/, so the tree and other runs never see a mutant. The
report lists every survivor that is not explained in tests/mutation/EQUIVALENT.md, and the score:
killed (timeouts count as killed) over all mutants, less the listed equivalent ones. Exit 1
below MIN_SCORE.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORK = REPO / "build" / "mutation"
TREE = WORK / "tree"
REPORT = WORK / "survivors.txt"
EQUIVALENT = REPO / "tests" / "mutation" / "EQUIVALENT.md"
MIN_SCORE = 90.0
DETECTED = {"killed", "timeout"}


def copy_tree() -> None:
    """The tracked files and new, not ignored ones, as they are in the work tree now."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    if TREE.exists():
        shutil.rmtree(TREE)
    # The compiled catalogues are build products (`make catalogues`), ignored by git.
    catalogues = [str(path.relative_to(REPO)) for path in REPO.glob("translations/*/*/*.mo")]
    for name in [*filter(None, listed.split("\0")), *catalogues]:
        source = REPO / name
        if source.is_file() and not name.startswith("assets/screenshots/"):
            target = TREE / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def equivalent_names() -> set[str]:
    """Mutant names listed (in backticks, at the start of a list item) in EQUIVALENT.md."""
    text = EQUIVALENT.read_text(encoding="utf-8")
    return set(re.findall(r"^- `([^`]+)`", text, re.MULTILINE))


def python_mutants(env: dict[str, str]) -> dict[str, str]:
    """Run mutmut; every mutant's name and status (killed, survived, timeout, no tests…)."""
    subprocess.run(
        [sys.executable, "-m", "mutmut", "run", "--max-children", str(os.cpu_count() or 2)],
        cwd=TREE,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    listed = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=TREE,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    statuses = {}
    for line in listed.splitlines():
        name, _, status = line.strip().partition(": ")
        if name and status:
            statuses[name] = status
    return statuses


def sql_mutants(env: dict[str, str]) -> dict[str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.mutation.sql_triggers"],
        cwd=TREE,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return {row["name"]: row["status"] for row in rows}


def module_of(name: str) -> str:
    if name.startswith("sql: "):
        return "kiosk.storage.migrations (SQL triggers)"
    return name.split(".x", 1)[0]


def show(name: str, env: dict[str, str]) -> str:
    if name.startswith("sql: "):
        return f"# {name}\n(see tests/mutation/sql_triggers.py)\n"
    return subprocess.run(
        [sys.executable, "-m", "mutmut", "show", name],
        cwd=TREE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout


def main() -> int:
    started = time.monotonic()
    copy_tree()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # mutmut puts its mutants/ first on the path itself; the SQL mutants need the copy's kiosk.
    statuses = python_mutants(env) | sql_mutants({**env, "PYTHONPATH": str(TREE)})
    equivalent = equivalent_names()
    stale = sorted(equivalent - statuses.keys())
    counted = {name: status for name, status in statuses.items() if name not in equivalent}
    survivors = sorted(name for name, status in counted.items() if status not in DETECTED)
    listed_alive = sorted(n for n in equivalent & statuses.keys() if statuses[n] not in DETECTED)

    per_module: dict[str, Counter[str]] = {}
    for name, status in counted.items():
        per_module.setdefault(module_of(name), Counter())[
            "detected" if status in DETECTED else "alive"
        ] += 1
    lines = ["mutation score per module (detected / counted; equivalent mutants left out):"]
    for module, counts in sorted(per_module.items()):
        total = counts["detected"] + counts["alive"]
        lines.append(f"  {module:<45} {counts['detected']:>4} / {total:<4}")
    detected = sum(1 for status in counted.values() if status in DETECTED)
    score = 100.0 * detected / max(len(counted), 1)
    lines += [
        f"mutants: {len(statuses)}, equivalent (EQUIVALENT.md): {len(listed_alive)}, "
        f"detected: {detected}, not detected: {len(survivors)}",
        f"mutation score: {score:.1f} % (target {MIN_SCORE:.0f} %)",
    ]
    if stale:
        lines.append(f"listed as equivalent but no such mutant any more: {', '.join(stale)}")
    lines.append(f"time: {time.monotonic() - started:.0f} s; survivors: {REPORT}")

    REPORT.write_text(
        "\n".join(show(name, env) for name in survivors) + "\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    for name in survivors:
        print(f"survived: {name} ({statuses[name]})")
    print("\n".join(lines))
    return 0 if score >= MIN_SCORE else 1


if __name__ == "__main__":
    raise SystemExit(main())
