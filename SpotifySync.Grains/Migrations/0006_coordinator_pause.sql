-- The coordinator's pause (after a 429, an exhausted quota or rejected credentials) outlives its activation: a new
-- activation after a failover must not dispatch at once, starting with the very user Spotify just refused.
CREATE TABLE IF NOT EXISTS coordinator_pause (
    id                  smallint    PRIMARY KEY CHECK (id = 0),  -- one cluster, one pause
    paused_until        timestamptz NOT NULL,
    kind                text        NOT NULL,  -- rate_limited, quota_exceeded, credentials_rejected
    reason              text        NOT NULL,
    throttles_in_a_row  integer     NOT NULL
);
