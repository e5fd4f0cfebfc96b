-- Who may call what. Every function is first taken from everybody (PUBLIC, tutor_app and the three groups),
-- then granted as listed here, so this list is the whole truth also when a file is applied again. Internal
-- functions (names starting with an underscore) are granted to nobody: they run only inside these.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA tutor
    FROM PUBLIC, tutor_app, tutor_desk_tutor, tutor_desk_front_desk, tutor_desk_admin;

-- What every desk needs before it knows who is logged in (the row-security policies call these).
GRANT EXECUTE ON FUNCTION viewer_scope(), viewer_staff_id(), studio_is_empty() TO tutor_app;

GRANT EXECUTE ON FUNCTION
    set_session_status(uuid, text, text, uuid),
    set_session_notes(uuid, text, uuid),
    session_package(uuid),
    report_tutor_activity(date, date, text)
TO tutor_desk_tutor, tutor_desk_front_desk, tutor_desk_admin;

GRANT EXECUTE ON FUNCTION
    use_session(uuid, uuid, text),
    reinstate_session(uuid, uuid, text, bigint),
    reschedule_session(uuid, timestamptz, timestamptz, text, uuid),
    auto_complete_sessions(timestamptz),
    create_client(text, text, text, text, uuid),
    update_client(bigint, text, text, text, text, boolean, uuid),
    sell_package(bigint, text, int, timestamptz, timestamptz, uuid, numeric, bigint),
    set_package_price(uuid, numeric, uuid),
    record_payment(uuid, numeric, text, date, text, uuid),
    report_revenue(date, date, text),
    report_unused_prepaid(timestamptz),
    report_attendance(date, date, text),
    report_needs_attention(int, int),
    cancel_package(uuid, text, uuid, text, uuid),
    change_package_expiry(uuid, timestamptz, uuid, text),
    book_session(bigint, bigint, timestamptz, timestamptz, text, uuid, int, uuid),
    reconcile(),
    schedule_conflicts(),
    import_clients(jsonb, boolean, uuid),
    import_packages(jsonb, text, boolean, uuid)
TO tutor_desk_front_desk, tutor_desk_admin;

GRANT EXECUTE ON FUNCTION
    add_staff(text, text, uuid, boolean),
    create_staff_account(text, text, text, text, uuid, boolean),
    set_staff_teaches(bigint, boolean, uuid),
    deactivate_staff(bigint, uuid),
    reset_staff_password(bigint, text, uuid),
    claim_empty_studio(text),
    set_studio_setting(text, jsonb, uuid),
    prune_requests(),
    add_catalogue_item(text, int, numeric, int, uuid),
    update_catalogue_item(bigint, text, int, numeric, int, boolean, uuid),
    set_currency(text, uuid),
    set_tutor_pay_rate(bigint, numeric, text, uuid)
TO tutor_desk_admin;
