-- SpotifySync's own tables. Names and the unique key are part of the shared contract (design.md).

-- One row per play. The key says "this user heard this track by this artist at this moment":
-- a re-sync, a racing manual sync or a retry inserts the same key and is ignored (ON CONFLICT DO NOTHING).
CREATE TABLE IF NOT EXISTS listening_data (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      text        NOT NULL,
    artist_id    text        NOT NULL,  -- the track's first artist; 'local' for local files
    track_id     text        NOT NULL,  -- Spotify id; the spotify:local: URI for local files
    played_at    timestamptz NOT NULL,  -- millisecond precision, as Spotify reports it
    track_name   text        NOT NULL,
    artist_name  text        NOT NULL,
    album_id     text,
    album_name   text,
    duration_ms  integer     NOT NULL,
    context_uri  text,
    synced_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT listening_data_play_key UNIQUE (user_id, artist_id, track_id, played_at)
);

-- "What did this user play lately" is the app's main read.
CREATE INDEX IF NOT EXISTS listening_data_user_played_at ON listening_data (user_id, played_at DESC);

-- One row per connected user, written only by that user's UserSyncGrain (optimistic version check).
CREATE TABLE IF NOT EXISTS spotify_users (
    user_id                  text        PRIMARY KEY,
    state                    text        NOT NULL,
    refresh_token_encrypted  text,
    access_token_encrypted   text,
    access_token_expires_at  timestamptz,
    scope                    text,
    authorized_at            timestamptz,  -- refresh tokens expire six months after this
    reconnect_reason         text,
    latest_played_at         timestamptz,  -- the cursor: newest played_at stored
    schedule_anchor          timestamptz,  -- first due time of the sync reminder; next due = anchor + k * interval
    last_sync_started_at     timestamptz,
    last_sync_completed_at   timestamptz,
    last_sync_outcome        text,
    last_sync_error          text,
    last_sync_trigger        text,
    last_sync_tracks         integer     NOT NULL DEFAULT 0,
    consecutive_failures     integer     NOT NULL DEFAULT 0,
    total_tracks             bigint      NOT NULL DEFAULT 0,
    total_syncs              bigint      NOT NULL DEFAULT 0,
    version                  bigint      NOT NULL,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT spotify_users_state CHECK (state IN ('active', 'needs_reconnect', 'disconnected')),
    -- Spotify asks apps to discard refused tokens; a disconnected user's tokens must not linger either.
    CONSTRAINT spotify_users_tokens_only_when_active
        CHECK (state = 'active' OR (refresh_token_encrypted IS NULL AND access_token_encrypted IS NULL)),
    CONSTRAINT spotify_users_active_has_refresh_token
        CHECK (state <> 'active' OR refresh_token_encrypted IS NOT NULL)
);

-- Sync-all reads the active users only.
CREATE INDEX IF NOT EXISTS spotify_users_active ON spotify_users (user_id) WHERE state = 'active';

-- The coordinator's queue, written through so that it survives the loss of the coordinator's silo.
CREATE TABLE IF NOT EXISTS sync_queue (
    user_id      text        PRIMARY KEY,
    priority     smallint    NOT NULL,  -- 0 manual, 1 scheduled
    trigger      text        NOT NULL,
    sort_key     bigint      NOT NULL,  -- order inside a priority; a throttled user is put back in front
    enqueued_at  timestamptz NOT NULL
);
