"""Build the gettext catalogues: extract marked strings, merge into every language, compile, check.

Usage: python -m kiosk.tools.catalogues update | compile PO... | check
Babel's Python API is used instead of the `pybabel` command because Leichte Sprache ("de-x-ls")
has no CLDR locale, which `pybabel init/update` would refuse.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

import kiosk
from kiosk import resources
from kiosk.core.i18n import DOMAIN, LANGUAGE_CODES, language

KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "say_counted": (1, 2),  # a course problem that counts (kiosk.core.courses.problems)
    "gettext_in": (2,),
}
SOURCE_LANGUAGE = "en"  # msgids are English; en.po exists so English plurals are explicit too
PACKAGE = resources.PACKAGE_DIR
TEMPLATE = resources.TRANSLATIONS / f"{DOMAIN}.pot"


def po_path(code: str) -> Path:
    return resources.TRANSLATIONS / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every marked string in the package, with where it is used."""
    catalog = Catalog(project="Probierladen Kiosk", version=kiosk.__version__, fuzzy=False)
    method_map = [("**.py", "python"), ("hub/desk/templates/**.html", "jinja2.ext:babel_extract")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(
            message,
            None,
            [(f"kiosk/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, omit_header=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def _read(path: Path, code: str) -> Catalog:
    with path.open("rb") as fp:
        return read_po(fp, locale=language(code).babel_locale, domain=DOMAIN)


def update() -> None:
    """Refresh the template and merge it into every language (new strings arrive untranslated)."""
    template = extract()
    _write(template, TEMPLATE)
    for code in LANGUAGE_CODES:
        path = po_path(code)
        if path.exists():
            catalog = _read(path, code)
            catalog.update(template, update_header_comment=False)
            catalog.obsolete.clear()
        else:
            catalog = Catalog(locale=language(code).babel_locale, domain=DOMAIN)
            catalog.update(template)
        _set_header(catalog, code)
        _write(catalog, path)
        print(f"{path}: {_untranslated_count(catalog)} untranslated")


def _set_header(catalog: Catalog, code: str) -> None:
    # A fuzzy header is dropped by msgfmt, and with it the plural rules.
    catalog.fuzzy = False
    catalog.revision_date = catalog.creation_date
    catalog.project = "Probierladen Kiosk"
    catalog.version = kiosk.__version__
    catalog.copyright_holder = "Probierladen Kiosk contributors"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "Probierladen Kiosk contributors"
    catalog.language_team = f"{language(code).native_name} ({code})"
    catalog.header_comment = (
        f"# {language(code).native_name} ({code}) interface of Probierladen Kiosk.\n"
        "# Licensed under the EUPL-1.2 like the rest of the project."
    )


def compile_po(paths: Iterable[Path]) -> None:
    """Write the .mo next to each .po (fuzzy entries are never compiled)."""
    for path in paths:
        code = path.parent.parent.name
        catalog = _read(path, code)
        with path.with_suffix(".mo").open("wb") as fp:
            write_mo(fp, catalog, use_fuzzy=False)


def _untranslated_count(catalog: Catalog) -> int:
    return sum(1 for message in catalog if message.id and not _translated(message.string))


def _translated(string: object) -> bool:
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)


def problems() -> list[str]:
    """What keeps the catalogues from shipping: stale template, untranslated or fuzzy entries."""
    found: list[str] = []
    template_ids = {message.id for message in extract() if message.id}
    with TEMPLATE.open("rb") as fp:
        shipped_ids = {message.id for message in read_po(fp) if message.id}
    found += [
        f"{TEMPLATE}: marked string missing from the template (run make translations): {mid!r}"
        for mid in sorted(template_ids - shipped_ids, key=str)
    ]
    for code in LANGUAGE_CODES:
        path = po_path(code)
        if not path.exists():
            found.append(f"{path}: catalogue missing")
            continue
        catalog = _read(path, code)
        ids = {message.id for message in catalog if message.id}
        found += [f"{path}: not merged yet: {mid!r}" for mid in sorted(template_ids - ids, key=str)]
        for message in catalog:
            if not message.id:
                continue
            if message.fuzzy:
                found.append(f"{path}:{message.lineno}: fuzzy: {message.id!r}")
            elif not _translated(message.string):
                found.append(f"{path}:{message.lineno}: untranslated: {message.id!r}")
            elif _placeholders(message.string) != _placeholders(message.id):
                found.append(
                    f"{path}:{message.lineno}: placeholders differ from the source: {message.id!r}"
                )
    return found


_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def _placeholders(text: object) -> set[str]:
    """The {name} placeholders of a message (all plural forms together)."""
    forms = text if isinstance(text, tuple | list) else (text,)
    return {match for form in forms for match in _PLACEHOLDER.findall(str(form))}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"update", "compile", "check"}:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "update":
        update()
    elif argv[0] == "compile":
        compile_po(Path(p) for p in argv[1:])
    else:
        found = problems()
        for problem in found:
            print(problem, file=sys.stderr)
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
