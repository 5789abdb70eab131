-- The staff web desk: accounts of the people who sign in, their sessions, the counters that
-- slow down password guessing, and the audit log of what they changed.

-- One person who signs in at /desk/. `sites`: the sites they may see and change; `admin`:
-- every site, the fleet and the city figures. The password is stored as a self-describing
-- scrypt hash (kiosk.hub.desk.accounts). A disabled account stays for the audit log's sake.
CREATE TABLE staff_accounts (
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{1,39}$'),
    sites text[] NOT NULL DEFAULT '{}',
    admin boolean NOT NULL DEFAULT false,
    password_hash text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
    disabled_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A signed-in browser. Only the SHA-256 of the cookie's 256 random bits is stored, so a copy
-- of the database signs nobody in. Ends 12 h after sign-in, or 2 h after its last use.
CREATE TABLE staff_sessions (
    token_sha256 bytea PRIMARY KEY CHECK (length(token_sha256) = 32),
    account_id bigint NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    csrf text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX staff_sessions_account ON staff_sessions (account_id);
CREATE INDEX staff_sessions_expires ON staff_sessions (expires_at);

-- Sign-in attempts that failed, per typed account name ('name:<n>') and per client address
-- ('addr:<ip>'): after three, each try waits longer (kiosk.hub.desk.sessions). Counters
-- nobody touched for a day are dropped.
CREATE TABLE staff_sign_in_failures (
    scope text PRIMARY KEY,
    failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_sign_in_failures_last ON staff_sign_in_failures (last_at);

-- Who changed what, where: the account name (kept when the account is removed), the site,
-- the action and a booking code or device id. Never a visitor's name.
CREATE TABLE staff_audit (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    account text NOT NULL,
    site text,
    action text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]{0,39}$'),
    detail text NOT NULL DEFAULT '' CHECK (length(detail) <= 200)
);
CREATE INDEX staff_audit_at ON staff_audit (at);
CREATE INDEX staff_audit_site_at ON staff_audit (site, at);
