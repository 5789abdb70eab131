"""Whole calendar periods: which spans may be published, and the calendar months they come from.

Two exports must never give away a hidden count by their difference: an export of 1-28
November and one of 1-27 November would, cell by cell, publish that Saturday. So figures are
published for whole periods only — days or calendar months — and only once a month is over; a
month asked for in part is widened to the whole month. Every published figure, a day's or a
month's, comes from one protected table per calendar month (its days × the categories, with day
totals and month totals), so a day is the same in every export, and no month figure minus the
published days of that month leaves a hidden count. Weeks are not published: an ISO week cuts
across two months, and its figures beside the days and months would give hidden days away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

PERIODS = ("day", "month")


class PeriodError(ValueError):
    """The span cannot be published; ``reason`` is weeks, order or incomplete, for the screen
    to say it in the staff's language (the message says it in English, for the command line)."""

    def __init__(self, reason: str, message: str, *, published_from: date | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.published_from = published_from


@dataclass(frozen=True)
class Span:
    """Whole periods to publish: from ``first`` to ``last``, counted per ``period``."""

    first: date
    last: date
    period: str
    widened: bool  # the asked span cut a month and was widened to whole months


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_end(day: date) -> date:
    return next_month(day) - timedelta(days=1)


def months_between(first: date, last: date) -> list[date]:
    """The first day of every calendar month that overlaps [first, last]."""
    months = []
    month = month_start(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def days_of(month: date) -> list[date]:
    return [month + timedelta(days=n) for n in range((month_end(month) - month).days + 1)]


def publishable(first: date, last: date, period: str, today: date) -> Span:
    """The whole periods to publish for the asked span, or PeriodError saying why none."""
    if period == "week":
        raise PeriodError(
            "weeks",
            "figures are not published per week: a week cuts across two months, and beside "
            "the days and months it would give hidden counts away; use --period day or month",
        )
    if period not in PERIODS:
        raise PeriodError("period", f"--period must be one of {', '.join(PERIODS)}")
    if first > last:
        raise PeriodError("order", f"the period starts ({first}) after it ends ({last})")
    span_first, span_last = first, last
    if period == "month":
        span_first, span_last = month_start(first), month_end(last)
    open_month = month_start(today)
    if span_last >= open_month:
        # The month is not over: its table could still change, and so would every figure.
        raise PeriodError(
            "incomplete",
            f"the figures of {open_month:%B %Y} are published once the month is over, "
            f"from {next_month(open_month)}; end the period by {open_month - timedelta(days=1)}",
            published_from=next_month(open_month),
        )
    return Span(span_first, span_last, period, (span_first, span_last) != (first, last))
