"""The words of Tutor Desk: records the studio returns, statuses with their labels and colours, the Change an
action makes, and the errors a person is shown. Plain Python: no Qt, no database. Import from here."""

from tutor_desktop.domain.backups import (
    Backup,
    BackupCounts,
    BackupRefused,
    BackupSettings,
    CheckResult,
    DueWork,
    RestoreResult,
)
from tutor_desktop.domain.errors import (
    AccountDeactivated,
    BookingConflict,
    Busy,
    DatabaseUnavailable,
    InvalidInput,
    MigrationError,
    NotAllowed,
    NotFound,
    PasswordRequired,
    RequestConflict,
    TutorDeskError,
)
from tutor_desktop.domain.portability import (
    FIELD_LABELS,
    ExportTable,
    ImportKind,
    ImportProblem,
    ImportResult,
    MoveOutcome,
    Statement,
    StatementLine,
    build_statement,
)
from tutor_desktop.domain.money import (
    DEFAULT_CURRENCY,
    CatalogueItem,
    PackageMoney,
    Payment,
    PaymentMethod,
    PayPer,
    PayRate,
    format_money,
    parse_amount,
)
from tutor_desktop.domain.records import (
    AutoCompleteResult,
    Balance,
    Cancellation,
    Change,
    Client,
    HistoryEntry,
    LedgerEntry,
    Mismatch,
    Package,
    ScheduleConflict,
    Session,
    Staff,
    StatusChange,
)
from tutor_desktop.domain.reports import (
    AttendanceLine,
    AttentionItem,
    AttentionKind,
    Period,
    RevenueKind,
    RevenueLine,
    StatusCount,
    TutorActivity,
    UnusedPrepaid,
)
from tutor_desktop.domain.words import (
    REASON_TEXT,
    BookedSessions,
    HistoryKind,
    LedgerKind,
    PackageState,
    PackageStatus,
    SessionStatus,
    StaffRole,
    describe_reason,
    folded,
)

__all__ = [
    "Backup", "BackupCounts", "BackupRefused", "BackupSettings", "CheckResult", "DueWork", "RestoreResult",
    "AccountDeactivated", "AutoCompleteResult", "Balance", "BookedSessions", "BookingConflict", "Busy", "Cancellation",
    "Change", "Client", "ExportTable", "FIELD_LABELS", "ImportKind", "ImportProblem", "ImportResult", "MoveOutcome", "Statement",
    "StatementLine", "build_statement", "DatabaseUnavailable", "HistoryEntry", "HistoryKind", "InvalidInput", "LedgerEntry",
    "LedgerKind", "MigrationError", "Mismatch", "NotAllowed", "NotFound", "Package",
    "PackageState", "PackageStatus", "PasswordRequired", "REASON_TEXT", "RequestConflict", "ScheduleConflict",
    "Session", "SessionStatus", "Staff", "StaffRole", "StatusChange", "TutorDeskError", "describe_reason", "folded",
    "DEFAULT_CURRENCY", "CatalogueItem", "PackageMoney", "Payment", "PaymentMethod", "PayPer", "PayRate", "format_money",
    "parse_amount", "AttendanceLine", "AttentionItem", "AttentionKind", "Period", "RevenueKind", "RevenueLine",
    "StatusCount", "TutorActivity", "UnusedPrepaid",
]
