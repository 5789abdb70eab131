"""The resume card: a slip with the resume code, its QR, when it expires and how to use it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kiosk.ui.parts.printing import PageFormat, Slip, write_slip_pdf


def resume_card(
    *,
    code: str,
    expires_text: str,
    qr_text: str,
    title: str,
    lines: Iterable[str],
    page: str | PageFormat = PageFormat.A6,
) -> Slip:
    """The resume card as a Slip (for a preview with render_slip_image)."""
    return Slip(
        title=title,
        code=code,
        qr_payload=qr_text,
        note=expires_text,
        lines=tuple(lines),
        page=PageFormat(page),
    )


def render_resume_card_pdf(
    path: Path,
    *,
    code: str,
    expires_text: str,
    qr_text: str,
    title: str,
    lines: Iterable[str],
    page: str | PageFormat = PageFormat.A6,
) -> Path:
    """Write the resume card ("a6" or "receipt") as a PDF at ``path``; returns the path."""
    card = resume_card(
        code=code, expires_text=expires_text, qr_text=qr_text, title=title, lines=lines, page=page
    )
    return write_slip_pdf(path, card)
