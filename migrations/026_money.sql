-- Money: a catalogue of packages, the price each sold package was sold for, the payments and refunds against it,
-- and a pay rate per tutor. Kept in tables of their own so that a tutor's login, which reads packages, reads no
-- money at all: these tables are granted to front desk and admins only (their functions and views are in sql/).
-- Amounts are numeric(12,2): exact, never floating point, in the studio's currency (the setting 'currency').
SET LOCAL ROLE tutor_owner;
SET LOCAL search_path = tutor;

-- sell_package takes a price and the catalogue item it was sold from (sql/08_clients.sql creates it again).
DROP FUNCTION IF EXISTS sell_package(bigint, text, int, timestamptz, timestamptz, uuid);

CREATE TABLE package_catalogue (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text          NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    sessions      int           NOT NULL CHECK (sessions BETWEEN 1 AND 1000),
    price         numeric(12,2) NOT NULL CHECK (price >= 0),
    validity_days int           CHECK (validity_days BETWEEN 1 AND 3660),  -- NULL: never expires
    active        boolean       NOT NULL DEFAULT true,                      -- false: retired, not offered
    created_at    timestamptz   NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX package_catalogue_active_name_idx ON package_catalogue (lower(name)) WHERE active;

-- The price a package was sold for (editable later). A package sold before prices existed has no row: no price.
CREATE TABLE package_prices (
    package_id   uuid          PRIMARY KEY REFERENCES packages,
    price        numeric(12,2) NOT NULL CHECK (price >= 0),
    catalogue_id bigint        REFERENCES package_catalogue,
    updated_at   timestamptz   NOT NULL DEFAULT now()
);

-- Append-only: a payment is never changed; a refund is a payment with a negative amount and a reason (its note).
CREATE TABLE payments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    package_id uuid          NOT NULL REFERENCES packages,
    amount     numeric(12,2) NOT NULL CHECK (amount <> 0),
    method     text          NOT NULL CHECK (method IN ('cash', 'card', 'bank_transfer', 'other')),
    paid_on    date          NOT NULL CHECK (paid_on >= '2000-01-01' AND paid_on < '2100-01-01'),
    note       text          NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    actor      text          NOT NULL DEFAULT session_user,
    request_id uuid,
    created_at timestamptz   NOT NULL DEFAULT clock_timestamp(),
    CHECK (amount > 0 OR length(note) > 0)
);
CREATE INDEX payments_package_idx ON payments (package_id, id);
CREATE INDEX payments_paid_on_idx ON payments (paid_on);

-- What a tutor is paid: an amount per session delivered or per hour delivered (done or student no-show).
CREATE TABLE tutor_pay_rates (
    staff_id   bigint        PRIMARY KEY REFERENCES staff,
    amount     numeric(12,2) NOT NULL CHECK (amount >= 0),
    per        text          NOT NULL CHECK (per IN ('session', 'hour')),
    updated_at timestamptz   NOT NULL DEFAULT now()
);

-- Reports read packages by the day they were sold.
CREATE INDEX packages_purchased_idx ON packages (purchased_at);
-- The ledger at a past date: every row up to a moment, per package.
CREATE INDEX package_ledger_created_idx ON package_ledger (created_at) INCLUDE (package_id, delta);

ALTER TABLE package_catalogue ENABLE ROW LEVEL SECURITY;
ALTER TABLE package_prices ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE tutor_pay_rates ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON package_catalogue, package_prices, payments, tutor_pay_rates FROM PUBLIC, tutor_app;
GRANT SELECT ON package_catalogue, package_prices, payments, tutor_pay_rates
    TO tutor_desk_front_desk, tutor_desk_admin;
