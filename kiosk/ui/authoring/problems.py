"""The checker's problems beside the preview: one line each, and where a tapped one is."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from kiosk.core.courses import Problem
from kiosk.core.i18n import Translator
from kiosk.ui.parts.screen_base import label

# Past this many characters a course file's line is shortened in the panel (a paragraph is one
# line in the Markdown files).
LINE_SHOWN = 300
PATH_ROLE = Qt.ItemDataRole.UserRole
LINE_ROLE = Qt.ItemDataRole.UserRole + 1


def line_of(path: Path, number: int) -> str | None:
    """Line `number` (1-based) of a text file, None if it cannot be read or has no such line."""
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            for index, line in enumerate(file, start=1):
                if index == number:
                    text = line.rstrip("\r\n")
                    return text if len(text) <= LINE_SHOWN else text[:LINE_SHOWN] + "…"
    except OSError:
        return None
    return None


class ProblemsPanel(QWidget):
    """A heading saying whether the package is fine, the problems as `FILE:LINE: message`, and
    below them the file, line and text of the problem tapped."""

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsPanel")
        self._tr = translator
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.heading = label(self, "notice")
        self.list = QListWidget(self)
        self.list.setObjectName("problemList")
        self.list.setWordWrap(True)
        self.list.currentItemChanged.connect(self._show_place)
        self.detail = label(self, "problemPlace")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.hide()
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.detail)
        layout.addStretch(0)  # without problems the heading stays at the top, not centred
        self._problems: tuple[Problem, ...] = ()
        self._shows_last_good = False

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self._problems

    def show_problems(self, problems: Sequence[Problem], *, shows_last_good: bool) -> None:
        """List `problems` (the checker's, as `kiosk courses check` prints them, each message in
        the panel's language)."""
        self._problems = tuple(problems)
        self._shows_last_good = shows_last_good
        self.list.clear()
        for problem in self._problems:
            item = QListWidgetItem(problem.translated(self._tr), self.list)
            item.setData(PATH_ROLE, str(problem.path))
            item.setData(LINE_ROLE, problem.line)
        self.list.setVisible(bool(self._problems))
        self.detail.hide()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        for row, problem in enumerate(self._problems):
            self.list.item(row).setText(problem.translated(self._tr))
        count = len(self._problems)
        if not count:
            self.heading.setText(self._tr.gettext("No problems found."))
        elif self._shows_last_good:
            self.heading.setText(
                self._tr.ngettext(
                    "{n} problem. The preview shows the last version without problems.",
                    "{n} problems. The preview shows the last version without problems.",
                    count,
                ).format(n=self._tr.number(count))
            )
        else:
            self.heading.setText(
                self._tr.ngettext(
                    "{n} problem. The course can be shown once it is fixed.",
                    "{n} problems. The course can be shown once they are fixed.",
                    count,
                ).format(n=self._tr.number(count))
            )
        self._show_place(self.list.currentItem())

    def _show_place(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            self.detail.hide()
            return
        path = Path(str(item.data(PATH_ROLE)))
        number = int(item.data(LINE_ROLE))
        # The line number as the author's editor shows it (Latin digits, like `FILE:LINE`).
        place = self._tr.gettext("{file}, line {line}").format(file=path, line=number)
        text = line_of(path, number) if path.is_file() else None
        self.detail.setText(place if text is None else f"{place}\n{text}")
        self.detail.show()
