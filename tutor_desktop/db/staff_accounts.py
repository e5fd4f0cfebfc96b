"""Staff accounts: each staff member's own PostgreSQL login, created, disabled and re-keyed through the admin
functions. The password is turned into a SCRAM verifier on this desk before anything is sent."""

from __future__ import annotations

from uuid import UUID

from tutor_desktop.db.gateway import Gateway, new_request_id
from tutor_desktop.db.passwords import check_password, scram_verifier
from tutor_desktop.domain import StaffRole


class StaffAccounts:
    def __init__(self, gateway: Gateway) -> None:
        self.db = gateway

    def _verifier(self, password: str, login: str = "") -> str:
        check_password(password)
        with self.db.engine.connect() as conn:
            return scram_verifier(conn.connection.driver_connection, password, login)

    def create_staff_account(
        self, display_name: str, role: StaffRole, login_name: str, password: str, request_id: UUID | None = None,
        teaches: bool | None = None,
    ) -> int:
        verifier = self._verifier(password, login_name if isinstance(login_name, str) else "")
        return self.db.rows(
            "SELECT tutor.create_staff_account(:n, :role, :login, :v, :r, :t) AS id",
            {"n": display_name, "role": str(role), "login": login_name, "v": verifier,
             "r": request_id or new_request_id(), "t": teaches},
        )[0].id

    def set_staff_teaches(self, staff_id: int, teaches: bool, request_id: UUID | None = None) -> None:
        self.db.rows(
            "SELECT tutor.set_staff_teaches(:id, :t, :r)",
            {"id": staff_id, "t": teaches, "r": request_id or new_request_id()},
        )

    def deactivate_staff(self, staff_id: int, request_id: UUID | None = None) -> None:
        self.db.rows("SELECT tutor.deactivate_staff(:id, :r)", {"id": staff_id, "r": request_id or new_request_id()})

    def reset_staff_password(self, staff_id: int, password: str, request_id: UUID | None = None) -> None:
        verifier = self._verifier(password)
        self.db.rows(
            "SELECT tutor.reset_staff_password(:id, :v, :r)",
            {"id": staff_id, "v": verifier, "r": request_id or new_request_id()},
        )

    def claim_empty_studio(self, display_name: str) -> int:
        """Makes this login the admin of an empty studio (the embedded desk's first run)."""
        return self.db.rows("SELECT tutor.claim_empty_studio(:n) AS id", {"n": display_name})[0].id
