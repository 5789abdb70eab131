"""The compact language control of inner screens: one button that opens all languages.

The attract and home screens show the full bar; on every other visitor screen the header keeps
only this button (the current language's own name with a globe), which leaves the screen's
content the height of a whole row.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPainterPath
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QWidget

from kiosk.core.i18n import Language, Translator
from kiosk.ui import theme
from kiosk.ui.parts.drawn_icons import drawn_icon
from kiosk.ui.shell.card_overlay import CardOverlay

GLOBE_PX = 28
_COLUMNS = 2
# Big buttons; names keep one size, as in the full bar. (The language in use is filled by the
# app-wide sheet, which follows the visitor's high-contrast switch.)
_PANEL_LOOK = f"""
QPushButton#languageChoice {{
    min-height: 72px; font-size: {theme.LANGUAGE_POINT_SIZE + 2}pt;
}}
"""


def globe_icon(size: int = GLOBE_PX, colour: str = theme.PRIMARY) -> QIcon:
    """A drawn globe (circle, equator, meridians): the same on every terminal, whatever its fonts
    hold, and understood without reading."""
    return drawn_icon(_globe, size, colour, line_width=size / 14)


def _globe(painter: QPainter, size: float) -> None:
    margin = painter.pen().widthF()
    box = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    painter.drawEllipse(box)
    centre = box.center()
    painter.drawLine(QPointF(box.left(), centre.y()), QPointF(box.right(), centre.y()))
    painter.drawEllipse(
        QRectF(centre.x() - box.width() / 4, box.top(), box.width() / 2, box.height())
    )
    path = QPainterPath()
    for fraction in (0.25, 0.75):
        y = box.top() + box.height() * fraction
        half = box.width() / 2 * (1 - (2 * fraction - 1) ** 2) ** 0.5
        path.moveTo(centre.x() - half, y)
        path.lineTo(centre.x() + half, y)
    painter.drawPath(path)


class LanguageMenuButton(QPushButton):
    """The current language's own name with a globe; a press opens the panel of languages."""

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = translator
        self.setObjectName("languageMenuButton")
        theme.follow(self, lambda palette: self.setIcon(globe_icon(colour=palette.primary)))
        self.setIconSize(QSize(GLOBE_PX, GLOBE_PX))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        current = self._tr.current
        self.setText(current.native_name)
        # The name keeps its own direction inside the mirrored header.
        self.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if current.is_rtl else Qt.LayoutDirection.LeftToRight
        )
        _ = self._tr.gettext
        self.setAccessibleName(
            _("Language: {name}. Choose another language").format(name=current.native_name)
        )
        self.setToolTip(_("Choose language"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class LanguagePanel(CardOverlay):
    """Every offered language as a big button, named in its own language; closes on a choice."""

    language_chosen = Signal(str)
    """A visitor picked a language (its code)."""

    def __init__(self, translator: Translator, parent: QWidget) -> None:
        super().__init__(parent, max_width=820)
        self._tr = translator
        self._title = QLabel(self.card)
        self._title.setObjectName("title")
        self._title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._title.setWordWrap(True)
        self.card_layout.addWidget(self._title)
        grid = QGridLayout()
        grid.setSpacing(12)
        # The grid mirrors by itself in right-to-left layouts: the first language sits right.
        self._buttons: dict[str, QPushButton] = {}
        for index, language in enumerate(translator.languages):
            button = self._language_button(language)
            grid.addWidget(button, index // _COLUMNS, index % _COLUMNS)
            self._buttons[language.code] = button
        self.card_layout.addLayout(grid)
        self.close_button = QPushButton(self.card)
        self.close_button.setObjectName("navButton")
        self.close_button.clicked.connect(self.hide)
        self.card_layout.addWidget(self.close_button)
        self.dismissed.connect(self.hide)
        self.retranslate_ui()

    def _language_button(self, language: Language) -> QPushButton:
        button = QPushButton(language.native_name, self.card)
        button.setObjectName("languageChoice")
        button.setStyleSheet(_PANEL_LOOK)
        button.setCheckable(True)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if language.is_rtl else Qt.LayoutDirection.LeftToRight
        )
        button.setAccessibleName(language.native_name)
        button.clicked.connect(lambda _=False, code=language.code: self._choose(code))
        return button

    def buttons(self) -> dict[str, QPushButton]:
        """The button of each language, by code."""
        return dict(self._buttons)

    def open(self) -> None:
        current = self._tr.current.code
        for code, button in self._buttons.items():
            button.setChecked(code == current)
        super().open()
        self._buttons[current].setFocus(Qt.FocusReason.OtherFocusReason)

    def _choose(self, code: str) -> None:
        self.hide()
        self.language_chosen.emit(code)

    def retranslate_ui(self) -> None:
        _ = self._tr.gettext
        self._title.setText(_("Choose your language"))
        self.close_button.setText(_("Close"))
        self.close_button.setAccessibleName(_("Close the list of languages"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
