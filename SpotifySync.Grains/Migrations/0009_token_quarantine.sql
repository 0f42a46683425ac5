-- An invalid_grant may be Spotify's incident (a storm of them across users) rather than the user's revocation. The
-- refused user's tokens are then kept, still encrypted, in a fourth state, 'quarantined', until the coordinator
-- decides: erased (needs_reconnect) when the storm window closes without a storm, restored (active) when a retry
-- after the storm works. A quarantined row holds its tokens; every other rule stays.
ALTER TABLE spotify_users
    DROP CONSTRAINT IF EXISTS spotify_users_state,
    DROP CONSTRAINT IF EXISTS spotify_users_tokens_only_when_active,
    DROP CONSTRAINT IF EXISTS spotify_users_active_has_refresh_token,
    ADD COLUMN IF NOT EXISTS quarantined_at timestamptz;  -- when Spotify refused the refresh token (quarantined rows only)

ALTER TABLE spotify_users
    ADD CONSTRAINT spotify_users_state
        CHECK (state IN ('active', 'quarantined', 'needs_reconnect', 'disconnected')),
    -- Spotify asks apps to discard refused tokens: only an active or a quarantined (maybe not refused) row keeps them.
    ADD CONSTRAINT spotify_users_tokens_only_when_active
        CHECK (state IN ('active', 'quarantined') OR (refresh_token_encrypted IS NULL AND access_token_encrypted IS NULL)),
    ADD CONSTRAINT spotify_users_active_has_refresh_token
        CHECK (state NOT IN ('active', 'quarantined') OR refresh_token_encrypted IS NOT NULL),
    ADD CONSTRAINT spotify_users_quarantined_at
        CHECK ((state = 'quarantined') = (quarantined_at IS NOT NULL));

-- A new coordinator activation reloads the quarantined users to retry them.
CREATE INDEX IF NOT EXISTS spotify_users_quarantined ON spotify_users (user_id) WHERE state = 'quarantined';
