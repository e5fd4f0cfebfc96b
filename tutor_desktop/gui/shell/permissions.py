"""What the person at this desk may do, so the windows hide what the database would refuse anyway. The
database stays the authority: a hidden control's function still refuses the call."""

from __future__ import annotations

from tutor_desktop.domain import Staff, StaffRole


def manages_packages(staff: Staff | None) -> bool:
    """Use / reinstate by hand, sell, cancel, change expiry, book, reschedule, edit clients."""
    return staff is None or staff.role in (StaffRole.FRONT_DESK, StaffRole.ADMIN)


def manages_staff(staff: Staff | None) -> bool:
    return staff is not None and staff.role == StaffRole.ADMIN
