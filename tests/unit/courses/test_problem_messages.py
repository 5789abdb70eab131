"""The checker's messages: English on the command line, marked for the catalogues, translated
with their arguments kept apart (numbers in the language's digits, names isolated in RTL)."""

from __future__ import annotations

import ast
import itertools
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk import resources
from kiosk.core.courses import load_package
from kiosk.core.courses.problems import Message, Problem, ProblemLog, say, say_counted
from kiosk.core.i18n import N_, Translator, pseudo_localise
from kiosk.tools import catalogues
from tests.unit.courses.builders import edit, write_package

CHECKER = Path(catalogues.__file__).parents[1] / "core" / "courses"


def marked_messages() -> tuple[set[str], set[tuple[str, str]]]:
    """The N_ messages and the say_counted pairs written in the checker's modules."""
    singles: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for path in CHECKER.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            texts = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
            if node.func.id == "N_":
                singles.add(str(texts[0]))
            elif node.func.id == "say_counted":
                assert len(texts) == 2, f"{path.name}:{node.lineno}: write both forms as text"
                pairs.add((str(texts[0]), str(texts[1])))
            elif node.func.id == "say":
                # Every message is marked where it is written, so the extractor finds it.
                first = node.args[0]
                assert isinstance(first, ast.Call) and isinstance(first.func, ast.Name), (
                    f"{path.name}:{node.lineno}"
                )
                assert first.func.id == "N_", f"{path.name}:{node.lineno}"
    return singles, pairs


def test_every_checker_message_is_in_the_template_after_an_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "translations"
    shutil.copytree(resources.TRANSLATIONS, copy)
    monkeypatch.setattr(resources, "TRANSLATIONS", copy)
    monkeypatch.setattr(catalogues, "TEMPLATE", copy / "messages.pot")
    catalogues.update()
    with (copy / "messages.pot").open("rb") as file:
        template = {message.id for message in read_po(file) if message.id}
    singles, pairs = marked_messages()
    assert len(singles) + len(pairs) > 60  # the checker's whole vocabulary, not a few
    assert singles - template == set()
    assert pairs - template == set()  # as plural pairs, so every language has its forms


def test_problems_of_a_broken_package_come_from_marked_messages(tmp_path: Path) -> None:
    folder = write_package(tmp_path)
    edit(folder / "course.toml", 'level = "beginner"', 'level = "expert"')
    edit(folder / "course.toml", "duration_minutes = 15", "duration_minutes = 999")
    edit(folder / "content" / "de.md", "- Internet", "1. Internet")
    (folder / "images" / "call.svg").unlink()
    problems = load_package(folder).problems
    singles, pairs = marked_messages()

    def ids(message: Message) -> set[str]:
        nested = {i for _, value in message.args if isinstance(value, Message) for i in ids(value)}
        return {message.msgid, *nested, *([message.plural] if message.plural else [])}

    used = {i for problem in problems for i in ids(problem.message)}
    assert len(problems) >= 4  # (the missing picture is reported in both languages)
    assert used - singles - {form for pair in pairs for form in pair} == set()


@pytest.fixture
def translator(tmp_path: Path) -> Translator:
    """Without catalogues: every message stays English, but digits and direction are the
    language's."""
    return Translator(tmp_path)


def test_english_is_printed_and_each_argument_is_shown_its_own_way(translator: Translator) -> None:
    too_long = say_counted(
        "{key} is {n} character; at most {limit}",
        "{key} is {n} characters; at most {limit}",
        130,
        key="title.de",
        n=130,
        limit=120,
    )
    problem = Problem(Path("video-calls/course.toml"), 12, too_long)
    assert str(problem) == "video-calls/course.toml:12: title.de is 130 characters; at most 120"
    translator.set_language("fa")  # numbers in Persian digits, names isolated
    assert problem.translated(translator) == (
        "\u2068video-calls/course.toml:12\u2069: "
        "\u2068title.de\u2069 is ۱۳۰ characters; at most ۱۲۰"
    )
    translator.set_language("de")
    assert problem.translated(translator) == str(problem)


def test_a_message_inside_a_message_is_translated_too(translator: Translator) -> None:
    inner = say(N_("a whole number"))
    outer = say(N_("must be {expected}, got {found}"), expected=inner, found=say(N_("a string")))
    assert str(outer) == "must be a whole number, got a string"
    translator.set_pseudo(True)
    assert outer.translated(translator) == pseudo_localise(
        "must be {expected}, got {found}"
    ).format(expected=pseudo_localise("a whole number"), found=pseudo_localise("a string"))


def test_a_translation_with_a_wrong_placeholder_still_shows_the_problem(tmp_path: Path) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="de")
    catalog.add("required key {key} is missing", "Der Schlüssel {schluessel} fehlt.")
    path = tmp_path / "de" / "LC_MESSAGES" / "messages.mo"
    path.parent.mkdir(parents=True)
    with path.open("wb") as file:
        write_mo(file, catalog)
    message = say(N_("required key {key} is missing"), key="'level'")
    assert message.translated(Translator(tmp_path)) == "required key 'level' is missing"


def test_a_count_of_one_takes_the_singular_in_english_and_in_each_language(
    translator: Translator,
) -> None:
    one = say_counted(
        "{key} is {n} character; at most {limit}",
        "{key} is {n} characters; at most {limit}",
        1,
        key="title.de",
        n=1,
        limit=120,
    )
    assert str(one) == "title.de is 1 character; at most 120"
    translator.set_language("fa")
    assert one.translated(translator) == "\u2068title.de\u2069 is ۱ character; at most ۱۲۰"
    translator.set_pseudo(True)
    assert one.translated(translator) == pseudo_localise(
        "{key} is {n} character; at most {limit}"
    ).format(key="\u2068title.de\u2069", n="۱", limit="۱۲۰")
    two = say_counted("{n} step has no title", "{n} steps have no title", 2, n=2)
    assert str(two) == "2 steps have no title"


def test_problems_at_one_line_are_listed_in_the_order_of_their_english_text() -> None:
    texts = ("a picture is missing", "heading level skipped", "unknown key 'level'")
    for order in itertools.permutations(texts):
        log = ProblemLog()
        report = log.reporter(Path("video-calls/content/de.md"))
        for text in order:
            report(7, say(text))
        report(3, say("zero-width character in the title"))
        assert sorted(say(text) for text in order) == [say(text) for text in texts]
        assert [str(problem.message) for problem in log.sorted()] == [
            "zero-width character in the title",
            *texts,
        ]


def test_problems_with_the_same_text_keep_the_order_they_were_reported_in() -> None:
    # The same English line, once from a count and once from a quoted value.
    counted, quoted = say("line {n} is too long", n=40), say("line {n} is too long", n="40")
    assert counted != quoted and str(counted) == str(quoted)
    assert not counted < quoted and not quoted < counted and counted >= quoted
    assert sorted([counted, quoted]) == [counted, quoted]
    assert sorted([quoted, counted]) == [quoted, counted]


def test_a_wrong_placeholder_in_a_translation_keeps_the_reader_s_digits(tmp_path: Path) -> None:
    catalog = Catalog(locale="fa")
    catalog.add("{key} is {n} lines long", "{کلید} {n} خط است")
    path = tmp_path / "fa" / "LC_MESSAGES" / "messages.mo"
    path.parent.mkdir(parents=True)
    with path.open("wb") as file:
        write_mo(file, catalog)
    translator = Translator(tmp_path)
    translator.set_language("fa")
    message = say("{key} is {n} lines long", key="title.fa", n=130)
    assert message.translated(translator) == "\u2068title.fa\u2069 is ۱۳۰ lines long"


def test_a_wrong_placeholder_in_a_plural_translation_shows_the_english_plural(
    tmp_path: Path,
) -> None:
    catalog = Catalog(locale="de")
    catalog.add(
        ("{key} is {n} character; at most {limit}", "{key} is {n} characters; at most {limit}"),
        ("{schluessel} hat {n} Zeichen", "{schluessel} hat {n} Zeichen"),
    )
    path = tmp_path / "de" / "LC_MESSAGES" / "messages.mo"
    path.parent.mkdir(parents=True)
    with path.open("wb") as file:
        write_mo(file, catalog)
    too_long = say_counted(
        "{key} is {n} character; at most {limit}",
        "{key} is {n} characters; at most {limit}",
        130,
        key="title.de",
        n=130,
        limit=120,
    )
    assert too_long.translated(Translator(tmp_path)) == "title.de is 130 characters; at most 120"


def test_a_wrong_placeholder_in_a_persian_plural_keeps_the_reader_s_digits(tmp_path: Path) -> None:
    """The English words stand in for a broken plural translation, but the numbers stay in the
    reader's digits and the key isolated, as for a broken singular one."""
    catalog = Catalog(locale="fa")
    catalog.add(
        ("{key} is {n} character; at most {limit}", "{key} is {n} characters; at most {limit}"),
        ("{کلید} {n} نویسه است", "{کلید} {n} نویسه است"),
    )
    path = tmp_path / "fa" / "LC_MESSAGES" / "messages.mo"
    path.parent.mkdir(parents=True)
    with path.open("wb") as file:
        write_mo(file, catalog)
    translator = Translator(tmp_path)
    translator.set_language("fa")
    too_long = say_counted(
        "{key} is {n} character; at most {limit}",
        "{key} is {n} characters; at most {limit}",
        130,
        key="title.fa",
        n=130,
        limit=120,
    )
    assert too_long.translated(translator) == "\u2068title.fa\u2069 is ۱۳۰ characters; at most ۱۲۰"
