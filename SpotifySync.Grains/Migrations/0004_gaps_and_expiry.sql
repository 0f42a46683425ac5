-- Spotify keeps only the 50 most recent plays: when a sync finds 50 plays all newer than the cursor, some
-- plays may have been pushed out unseen. Each such possible gap is kept here for operators, and the last
-- one is summarised on the user row for sync-status.
CREATE TABLE IF NOT EXISTS listening_gaps (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      text        NOT NULL,
    gap_from     timestamptz NOT NULL,  -- the cursor before the sync: plays after it were stored
    gap_to       timestamptz NOT NULL,  -- the oldest play Spotify still returned
    detected_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS listening_gaps_user ON listening_gaps (user_id, detected_at DESC);

ALTER TABLE spotify_users
    ADD COLUMN IF NOT EXISTS gaps_detected        integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS last_gap_from        timestamptz,
    ADD COLUMN IF NOT EXISTS last_gap_to          timestamptz,
    -- Days-before-expiry of the last refresh-token expiry warning logged (30, then 7); NULL after (re)connect.
    ADD COLUMN IF NOT EXISTS expiry_warning_days  integer;

-- Sync-status lists users whose six-month refresh token expires soon.
CREATE INDEX IF NOT EXISTS spotify_users_active_authorized ON spotify_users (authorized_at) WHERE state = 'active';
