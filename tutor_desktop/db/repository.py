"""The studio on PostgreSQL: what the windows (through tutor_desktop.ports.Studio), the command line and the
tests call. It holds three parts that share one gateway, and names which part answers each call."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from sqlalchemy import Engine, Row

from tutor_desktop.db.gateway import Gateway, new_request_id
from tutor_desktop.db.money import Money
from tutor_desktop.db.mutations import Mutations
from tutor_desktop.db.portability import Portability
from tutor_desktop.db.reads import Reads
from tutor_desktop.db.reports import Reports
from tutor_desktop.db.staff_accounts import StaffAccounts

__all__ = ["Repository", "new_request_id"]

Part = TypeVar("Part")
P = ParamSpec("P")
R = TypeVar("R")


class _Of(Generic[Part, P, R]):
    """A method of one of the repository's parts, called on the repository: `repo.use_session(...)` is
    `repo.mutations.use_session(...)`, with the same signature."""

    def __init__(self, part: str, method: Callable[Concatenate[Part, P], R]) -> None:
        self.part = part
        self.method = method
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, repo: None, owner: type | None = None) -> Callable[Concatenate[Part, P], R]: ...

    @overload
    def __get__(self, repo: object, owner: type | None = None) -> Callable[P, R]: ...

    def __get__(self, repo: object | None, owner: type | None = None) -> Callable[..., R]:
        if repo is None:
            return self.method
        return self.method.__get__(getattr(repo, self.part))


class Repository:
    def __init__(self, engine: Engine) -> None:
        self.gateway = Gateway(engine)
        self.reads = Reads(self.gateway)
        self.mutations = Mutations(self.gateway)
        self.staff_accounts = StaffAccounts(self.gateway)
        self.portability = Portability(self.gateway, self.reads)
        self.money = Money(self.gateway)
        self.reports = Reports(self.gateway)

    # --- the connection: for start-up, the command line, the demo loader and the tests -----------------------

    @property
    def engine(self) -> Engine:
        return self.gateway.engine

    def rows(self, sql: str, params: Mapping[str, Any] | None = None, *, retry: bool = True) -> Sequence[Row]:
        """One raw statement (see Gateway.rows); the windows never call it."""
        return self.gateway.rows(sql, params, retry=retry)

    @contextmanager
    def unit_of_work(self) -> Iterator[None]:
        with self.gateway.unit_of_work():
            yield

    def ping(self) -> None:
        self.gateway.ping()

    def close(self) -> None:
        self.gateway.close()

    # --- reads ------------------------------------------------------------------------------------------------

    list_staff = _Of("reads", Reads.list_staff)
    current_staff = _Of("reads", Reads.current_staff)
    studio_is_empty = _Of("reads", Reads.studio_is_empty)
    list_clients = _Of("reads", Reads.list_clients)
    get_client = _Of("reads", Reads.get_client)
    get_package = _Of("reads", Reads.get_package)
    packages_for_client = _Of("reads", Reads.packages_for_client)
    studio_packages = _Of("reads", Reads.studio_packages)
    package_for_session = _Of("reads", Reads.package_for_session)
    get_session = _Of("reads", Reads.get_session)
    sessions_between = _Of("reads", Reads.sessions_between)
    sessions_for_client = _Of("reads", Reads.sessions_for_client)
    ledger_for_package = _Of("reads", Reads.ledger_for_package)
    ledger_for_packages = _Of("reads", Reads.ledger_for_packages)
    package_history = _Of("reads", Reads.package_history)
    reconcile = _Of("reads", Reads.reconcile)
    schedule_conflicts = _Of("reads", Reads.schedule_conflicts)

    # --- changes ----------------------------------------------------------------------------------------------

    use_session = _Of("mutations", Mutations.use_session)
    reinstate_session = _Of("mutations", Mutations.reinstate_session)
    set_session_status = _Of("mutations", Mutations.set_session_status)
    set_session_notes = _Of("mutations", Mutations.set_session_notes)
    reschedule_session = _Of("mutations", Mutations.reschedule_session)
    auto_complete = _Of("mutations", Mutations.auto_complete)
    prune_requests = _Of("mutations", Mutations.prune_requests)
    book_session = _Of("mutations", Mutations.book_session)
    add_staff = _Of("mutations", Mutations.add_staff)
    create_client = _Of("mutations", Mutations.create_client)
    update_client = _Of("mutations", Mutations.update_client)
    sell_package = _Of("mutations", Mutations.sell_package)
    cancel_package = _Of("mutations", Mutations.cancel_package)
    change_package_expiry = _Of("mutations", Mutations.change_package_expiry)

    # --- staff accounts ---------------------------------------------------------------------------------------

    create_staff_account = _Of("staff_accounts", StaffAccounts.create_staff_account)
    deactivate_staff = _Of("staff_accounts", StaffAccounts.deactivate_staff)
    reset_staff_password = _Of("staff_accounts", StaffAccounts.reset_staff_password)
    set_staff_teaches = _Of("staff_accounts", StaffAccounts.set_staff_teaches)
    claim_empty_studio = _Of("staff_accounts", StaffAccounts.claim_empty_studio)

    # --- export, import and statements -----------------------------------------------------------------------

    export_tables = _Of("portability", Portability.export_tables)
    import_rows = _Of("portability", Portability.import_rows)
    client_statement = _Of("portability", Portability.client_statement)
    # --- money --------------------------------------------------------------------------------------------------

    catalogue = _Of("money", Money.catalogue)
    currency = _Of("money", Money.currency)
    package_money = _Of("money", Money.package_money)
    payments_for_packages = _Of("money", Money.payments_for_packages)
    add_catalogue_item = _Of("money", Money.add_catalogue_item)
    update_catalogue_item = _Of("money", Money.update_catalogue_item)
    set_currency = _Of("money", Money.set_currency)
    set_package_price = _Of("money", Money.set_package_price)
    record_payment = _Of("money", Money.record_payment)
    set_tutor_pay_rate = _Of("money", Money.set_tutor_pay_rate)
    pay_rates = _Of("money", Money.pay_rates)

    # --- reports ------------------------------------------------------------------------------------------------

    report_tutor_activity = _Of("reports", Reports.report_tutor_activity)
    report_revenue = _Of("reports", Reports.report_revenue)
    report_unused_prepaid = _Of("reports", Reports.report_unused_prepaid)
    report_attendance = _Of("reports", Reports.report_attendance)
    report_needs_attention = _Of("reports", Reports.report_needs_attention)
