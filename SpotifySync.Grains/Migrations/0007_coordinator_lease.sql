-- Orleans keeps one coordinator activation, except while the membership of a silo is being decided: a silo cut off
-- from the others may still run its activation when the others start a new one. Only the holder of this lease
-- dispatches, so two activations never pace Spotify's calls at once. PostgreSQL's clock sets the expiry, so silo
-- clocks need not agree.
CREATE TABLE IF NOT EXISTS coordinator_lease (
    id          smallint    PRIMARY KEY CHECK (id = 0),  -- one cluster, one dispatcher
    holder      text        NOT NULL,                    -- silo address and activation id, for the operator
    expires_at  timestamptz NOT NULL
);
