-- Running a fleet: course packages the hub hands out to terminals, and each terminal's latest
-- health report.

-- One published course package: the canonical archive (kiosk.core.courses.archive) exactly as
-- terminals download it, with its SHA-256 so that a terminal checks what it received. A site
-- is offered, per course, its newest live publication that names it (sites NULL: every site)
-- and was not rolled back for it. Rows are never deleted: a rollback sets withdrawn_at (or
-- adds one site to withdrawn_sites), and a version once published is never used again.
CREATE TABLE course_packages (
    id bigserial PRIMARY KEY,
    course_id text NOT NULL CHECK (course_id ~ '^[a-z0-9][a-z0-9-]{0,59}$'),
    version integer NOT NULL CHECK (version BETWEEN 1 AND 1000000),
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size integer NOT NULL CHECK (size > 0),
    archive bytea NOT NULL,
    sites text[] CHECK (sites IS NULL OR cardinality(sites) >= 1),
    withdrawn_sites text[] NOT NULL DEFAULT '{}',
    published_at timestamptz NOT NULL DEFAULT now(),
    withdrawn_at timestamptz,
    UNIQUE (course_id, version)
);
-- The archive is gzip already: compressing it again would cost time and save nothing.
ALTER TABLE course_packages ALTER COLUMN archive SET STORAGE EXTERNAL;

-- The latest health report of each terminal (replaced by the next), as the terminal sent it,
-- with the hub's time of receipt (the terminal's own clock may be wrong).
CREATE TABLE terminal_health (
    terminal_id bigint PRIMARY KEY REFERENCES terminals (id) ON DELETE CASCADE,
    received_at timestamptz NOT NULL,
    report jsonb NOT NULL
);
