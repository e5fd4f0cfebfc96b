-- The app's group role reads and calls functions; it writes nothing directly.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA tutor FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA tutor FROM PUBLIC;

GRANT SELECT ON staff, clients, packages, sessions, package_ledger, audit_log, package_balances TO tutor_app;

GRANT EXECUTE ON FUNCTION
    use_session(uuid, uuid),
    release_session(uuid, uuid),
    use_session_with_reason(uuid, text, uuid),
    release_session_with_reason(uuid, text, uuid),
    set_session_status(uuid, text, text, uuid),
    reschedule_session(uuid, timestamptz, timestamptz, uuid),
    auto_complete_sessions(timestamptz),
    add_staff(text, text, uuid),
    create_client(text, text, text, text, uuid),
    update_client(bigint, text, text, text, text, boolean, uuid),
    sell_package(bigint, text, int, timestamptz, timestamptz, uuid),
    cancel_package(uuid, text, uuid),
    change_package_expiry(uuid, timestamptz, uuid),
    book_session(bigint, bigint, timestamptz, timestamptz, uuid, int, uuid),
    reconcile()
TO tutor_app;
