"""The reports on PostgreSQL: one SQL function each (sql/10_reports.sql), rows turned into the domain's records."""

from __future__ import annotations

from datetime import datetime

from tutor_desktop.db.gateway import Gateway
from tutor_desktop.domain import (
    AttendanceLine,
    AttentionItem,
    AttentionKind,
    InvalidInput,
    Period,
    RevenueKind,
    RevenueLine,
    StatusCount,
    TutorActivity,
    UnusedPrepaid,
)

_STATUSES = ("done", "no_show_student", "no_show_tutor", "cancelled", "rescheduled", "upcoming")


class Reports:
    def __init__(self, gateway: Gateway) -> None:
        self.db = gateway

    def _period(self, name: str, period: Period, time_zone: str, columns: str = "*"):  # noqa: ANN202
        return self.db.rows(f"SELECT {columns} FROM tutor.{name}(:f, :t, :z)",
                            {"f": period.first, "t": period.last, "z": time_zone})

    def report_tutor_activity(self, period: Period, time_zone: str) -> list[TutorActivity]:
        rows = self._period("report_tutor_activity", period, time_zone)
        return [TutorActivity(
            r.tutor_id, r.tutor_name,
            *(StatusCount(getattr(r, s), getattr(r, s + "_hours")) for s in _STATUSES),
            r.pay_rate, r.pay_per, r.pay) for r in rows]

    def report_revenue(self, period: Period, time_zone: str) -> list[RevenueLine]:
        return [RevenueLine(RevenueKind(r.kind), r.method, r.count, r.amount)
                for r in self._period("report_revenue", period, time_zone)]

    def report_unused_prepaid(self, at: datetime | None = None) -> list[UnusedPrepaid]:
        if at is not None and at.tzinfo is None:
            raise InvalidInput(f"The time {at.isoformat()} has no time zone.")
        rows = self.db.rows("SELECT * FROM tutor.report_unused_prepaid(:at)", {"at": at})
        return [UnusedPrepaid(r.package_id, r.client_id, r.client_name, r.label, r.purchased_at, r.sessions_total,
                              r.sessions_remaining, r.price, r.value) for r in rows]

    def report_attendance(self, period: Period, time_zone: str) -> list[AttendanceLine]:
        return [AttendanceLine(r.kind, r.id, r.name, r.sessions, r.student_no_shows, r.tutor_no_shows,
                               r.student_no_show_rate, r.tutor_no_show_rate)
                for r in self._period("report_attendance", period, time_zone)]

    def report_needs_attention(self, low: int = 2, days: int = 14) -> list[AttentionItem]:
        rows = self.db.rows("SELECT * FROM tutor.report_needs_attention(:low, :days)", {"low": low, "days": days})
        return [AttentionItem(AttentionKind.from_code(r.kind), r.client_id, r.client_name, r.package_id, r.label,
                              r.sessions, r.amount, r.at) for r in rows]
