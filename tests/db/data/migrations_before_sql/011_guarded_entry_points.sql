-- Every public function first asks who is acting. The bodies written before staff accounts existed keep their
-- logic under an internal name (no longer SECURITY DEFINER, executable by nobody); the public name becomes a
-- definer function that checks the actor and then calls it.
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

ALTER FUNCTION set_session_status(uuid, text, text, uuid) RENAME TO _set_session_status;
ALTER FUNCTION reschedule_session(uuid, timestamptz, timestamptz, uuid) RENAME TO _reschedule_session;
ALTER FUNCTION auto_complete_sessions(timestamptz) RENAME TO _auto_complete_sessions;
ALTER FUNCTION add_staff(text, text, uuid) RENAME TO _add_staff;
ALTER FUNCTION create_client(text, text, text, text, uuid) RENAME TO _create_client;
ALTER FUNCTION update_client(bigint, text, text, text, text, boolean, uuid) RENAME TO _update_client;
ALTER FUNCTION sell_package(bigint, text, int, timestamptz, timestamptz, uuid) RENAME TO _sell_package;
ALTER FUNCTION cancel_package(uuid, text, uuid) RENAME TO _cancel_package;
ALTER FUNCTION change_package_expiry(uuid, timestamptz, uuid) RENAME TO _change_package_expiry;
ALTER FUNCTION book_session(bigint, bigint, timestamptz, timestamptz, uuid, int, uuid) RENAME TO _book_session;
ALTER FUNCTION reconcile() RENAME TO _reconcile;

ALTER FUNCTION _set_session_status(uuid, text, text, uuid) SECURITY INVOKER;
ALTER FUNCTION _reschedule_session(uuid, timestamptz, timestamptz, uuid) SECURITY INVOKER;
ALTER FUNCTION _auto_complete_sessions(timestamptz) SECURITY INVOKER;
ALTER FUNCTION _add_staff(text, text, uuid) SECURITY INVOKER;
ALTER FUNCTION _create_client(text, text, text, text, uuid) SECURITY INVOKER;
ALTER FUNCTION _update_client(bigint, text, text, text, text, boolean, uuid) SECURITY INVOKER;
ALTER FUNCTION _sell_package(bigint, text, int, timestamptz, timestamptz, uuid) SECURITY INVOKER;
ALTER FUNCTION _cancel_package(uuid, text, uuid) SECURITY INVOKER;
ALTER FUNCTION _change_package_expiry(uuid, timestamptz, uuid) SECURITY INVOKER;
ALTER FUNCTION _book_session(bigint, bigint, timestamptz, timestamptz, uuid, int, uuid) SECURITY INVOKER;
ALTER FUNCTION _reconcile() SECURITY INVOKER;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA tutor FROM PUBLIC, tutor_app;

CREATE OR REPLACE FUNCTION use_session(p_package_id uuid, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT * FROM _use_session(p_package_id, p_request_id, NULL);
$$;

CREATE OR REPLACE FUNCTION release_session(p_package_id uuid, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT * FROM _release_session(p_package_id, p_request_id, NULL);
$$;

CREATE OR REPLACE FUNCTION use_session_with_reason(p_package_id uuid, p_reason text, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT * FROM _use_session(p_package_id, p_request_id, p_reason);
$$;

CREATE OR REPLACE FUNCTION release_session_with_reason(p_package_id uuid, p_reason text, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT * FROM _release_session(p_package_id, p_request_id, p_reason);
$$;

CREATE FUNCTION set_session_status(p_session_id uuid, p_status text, p_notes text DEFAULT NULL, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(session_status text, package_id uuid, applied boolean, sessions_used int, sessions_total int,
              sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_session_actor(p_session_id);
    SELECT * FROM _set_session_status(p_session_id, p_status, p_notes, p_request_id);
$$;

CREATE FUNCTION reschedule_session(p_session_id uuid, p_starts_at timestamptz, p_ends_at timestamptz,
                                   p_request_id uuid DEFAULT NULL)
RETURNS TABLE(new_session_id uuid, session_status text, package_id uuid, applied boolean, sessions_used int,
              sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT * FROM _reschedule_session(p_session_id, p_starts_at, p_ends_at, p_request_id);
$$;

CREATE FUNCTION auto_complete_sessions(p_before timestamptz DEFAULT now())
RETURNS TABLE(completed int, deducted int)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT * FROM _auto_complete_sessions(p_before);
$$;

-- A staff member without a login (e.g. a tutor listed on the calendar of a single-desk studio).
CREATE FUNCTION add_staff(p_display_name text, p_role text, p_request_id uuid DEFAULT NULL) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('admin');
    SELECT _add_staff(p_display_name, p_role, p_request_id);
$$;

CREATE FUNCTION create_client(p_full_name text, p_email text DEFAULT NULL, p_phone text DEFAULT NULL,
                              p_notes text DEFAULT NULL, p_request_id uuid DEFAULT NULL) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT _create_client(p_full_name, p_email, p_phone, p_notes, p_request_id);
$$;

CREATE FUNCTION update_client(p_client_id bigint, p_full_name text, p_email text, p_phone text, p_notes text,
                              p_archived boolean DEFAULT false, p_request_id uuid DEFAULT NULL) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT _update_client(p_client_id, p_full_name, p_email, p_phone, p_notes, p_archived, p_request_id);
$$;

CREATE FUNCTION sell_package(p_client_id bigint, p_label text, p_sessions_total int,
                             p_expires_at timestamptz DEFAULT NULL, p_purchased_at timestamptz DEFAULT NULL,
                             p_request_id uuid DEFAULT NULL) RETURNS uuid
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT _sell_package(p_client_id, p_label, p_sessions_total, p_expires_at, p_purchased_at, p_request_id);
$$;

CREATE FUNCTION cancel_package(p_package_id uuid, p_reason text DEFAULT NULL, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT * FROM _cancel_package(p_package_id, p_reason, p_request_id);
$$;

CREATE FUNCTION change_package_expiry(p_package_id uuid, p_expires_at timestamptz, p_request_id uuid DEFAULT NULL)
RETURNS TABLE(applied boolean, sessions_used int, sessions_total int, sessions_remaining int, reason text)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT * FROM _change_package_expiry(p_package_id, p_expires_at, p_request_id);
$$;

CREATE FUNCTION book_session(p_client_id bigint, p_tutor_id bigint, p_starts_at timestamptz, p_ends_at timestamptz,
                             p_package_id uuid DEFAULT NULL, p_weekly_repeats int DEFAULT 0,
                             p_request_id uuid DEFAULT NULL)
RETURNS TABLE(session_id uuid, starts_at timestamptz, ends_at timestamptz)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT * FROM _book_session(p_client_id, p_tutor_id, p_starts_at, p_ends_at, p_package_id, p_weekly_repeats,
                                p_request_id);
$$;

CREATE FUNCTION reconcile() RETURNS TABLE(package_id uuid, sessions_used int, ledger_sum int)
LANGUAGE sql SECURITY DEFINER SET search_path = tutor, pg_temp AS $$
    SELECT _require_staff('front_desk', 'admin');
    SELECT * FROM _reconcile();
$$;
