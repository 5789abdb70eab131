"""A layout that flows buttons into rows, in the reading direction of the visitor."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QStyle, QWidget


class FlowLayout(QLayout):
    """Lays items out left to right (right to left in Arabic and Persian), wrapping into rows.

    A grid with a fixed number of columns either wastes the width of a wide card or squeezes a
    narrow one; a flow fills each row and asks for the height it needs (height for width).
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        spacing: int = 8,
        *,
        uniform: bool = False,
        fill: bool = False,
    ) -> None:
        """``uniform``: every item as wide as the widest, so they line up in columns;
        ``fill`` (with uniform): the columns share the whole width, like a grid that adapts."""
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self._uniform = uniform or fill
        self._fill = fill
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        """Place the items (or only measure); returns the height the rows take."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, row_height = area.x(), area.y(), 0
        owner = self.parentWidget()
        direction = owner.layoutDirection() if owner is not None else None
        shown = [item for item in self._items if not item.isEmpty()]
        widest = min(max((item.sizeHint().width() for item in shown), default=0), area.width())
        if self._fill and widest > 0:
            columns = max(1, (area.width() + self._gap) // (widest + self._gap))
            widest = (area.width() - (columns - 1) * self._gap) // columns
        tallest = max((item.sizeHint().height() for item in shown), default=0)
        for item in shown:
            hint = item.sizeHint()
            if self._uniform:
                hint = QSize(widest, tallest)
            elif hint.width() > area.width():  # never wider than the row: it wraps or elides
                hint = QSize(area.width(), hint.height())
            if x + hint.width() > area.right() + 1 and row_height > 0:
                x = area.x()
                y += row_height + self._gap
                row_height = 0
            if apply:
                place = QRect(QPoint(x, y), hint)
                if direction is not None:
                    place = QStyle.visualRect(direction, area, place)
                item.setGeometry(place)
            x += hint.width() + self._gap
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y() + margins.bottom()
