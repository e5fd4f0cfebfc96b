-- What each group may read and call. tutor_app, the parent of the three groups, keeps only what a desk needs
-- before it knows who is logged in. No group may INSERT, UPDATE or DELETE any table.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

REVOKE ALL ON ALL TABLES IN SCHEMA tutor FROM PUBLIC, tutor_app;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA tutor FROM PUBLIC, tutor_app;
GRANT EXECUTE ON FUNCTION viewer_scope(), viewer_staff_id() TO tutor_app;

GRANT SELECT ON staff, clients, packages, sessions, package_ledger, package_balances, studio_settings
    TO tutor_desk_tutor, tutor_desk_front_desk, tutor_desk_admin;
GRANT SELECT ON audit_log TO tutor_desk_front_desk, tutor_desk_admin;

GRANT EXECUTE ON FUNCTION set_session_status(uuid, text, text, uuid)
    TO tutor_desk_tutor, tutor_desk_front_desk, tutor_desk_admin;

GRANT EXECUTE ON FUNCTION
    use_session(uuid, uuid),
    release_session(uuid, uuid),
    use_session_with_reason(uuid, text, uuid),
    release_session_with_reason(uuid, text, uuid),
    reschedule_session(uuid, timestamptz, timestamptz, uuid),
    auto_complete_sessions(timestamptz),
    create_client(text, text, text, text, uuid),
    update_client(bigint, text, text, text, text, boolean, uuid),
    sell_package(bigint, text, int, timestamptz, timestamptz, uuid),
    cancel_package(uuid, text, uuid),
    change_package_expiry(uuid, timestamptz, uuid),
    book_session(bigint, bigint, timestamptz, timestamptz, uuid, int, uuid),
    reconcile()
TO tutor_desk_front_desk, tutor_desk_admin;

GRANT EXECUTE ON FUNCTION
    add_staff(text, text, uuid),
    create_staff_account(text, text, text, text, uuid),
    deactivate_staff(bigint, uuid),
    reset_staff_password(bigint, text, uuid),
    claim_empty_studio(text),
    set_studio_setting(text, jsonb, uuid)
TO tutor_desk_admin;
