"""Shipped catalogues: complete, valid for GNU gettext, compiled in step with their sources."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk import resources
from kiosk.core.i18n import LANGUAGE_CODES, catalogue_path
from kiosk.tools import catalogues
from tests.conftest import REPO

PO_FILES = [catalogues.po_path(code) for code in LANGUAGE_CODES]


def test_template_is_current_and_every_language_is_complete() -> None:
    assert catalogues.problems() == []


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_msgfmt_check_is_clean(po: Path, tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is installed by packaging/system-deps.sh"
    result = subprocess.run(
        [msgfmt, "--check", "--output-file", str(tmp_path / "out.mo"), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.lower(), result.stderr


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_compiled_catalogue_matches_its_source(code: str, tmp_path: Path) -> None:
    shipped = catalogue_path(resources.TRANSLATIONS, code)
    assert shipped.exists(), "make builds the .mo files from the .po files"
    fresh_po = tmp_path / code / "LC_MESSAGES" / "messages.po"
    fresh_po.parent.mkdir(parents=True)
    shutil.copy(catalogues.po_path(code), fresh_po)
    catalogues.compile_po([fresh_po])
    with shipped.open("rb") as a, fresh_po.with_suffix(".mo").open("rb") as b:
        assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog


def test_a_marked_string_missing_from_the_template_is_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_extract = catalogues.extract

    def extract_with_a_new_string():  # type: ignore[no-untyped-def]
        catalog = real_extract()
        catalog.add("A string somebody marked but never extracted")
        return catalog

    monkeypatch.setattr(catalogues, "extract", extract_with_a_new_string)
    found = catalogues.problems()
    assert any("missing from the template" in line for line in found)


def test_no_translated_string_hides_inside_an_f_string() -> None:
    """Babel cannot extract `gettext("…")` written inside an f-string: it would stay English."""
    import ast

    found = []
    for path in sorted((REPO / "kiosk").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for joined in ast.walk(tree):
            if not isinstance(joined, ast.JoinedStr):
                continue
            for node in ast.walk(joined):
                if isinstance(node, ast.Call):
                    name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                    if name in {"_", "gettext", "ngettext", "N_", "gettext_in"}:
                        found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert found == []
