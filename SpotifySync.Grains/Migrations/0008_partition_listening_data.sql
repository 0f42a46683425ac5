-- listening_data becomes range-partitioned by played_at, one partition per month, so that a table growing by
-- billions of rows a year stays cheap to write, index and prune, and old months can be detached by an operator.
-- The existing table is not copied: it becomes the partition of everything before next month
-- (listening_data_legacy), so no row is read twice or lost, and the migration costs one validating scan instead of
-- a rewrite. Monthly partitions after it are created ahead of time by the silos (ListeningDataPartitions).
--
-- A partitioned table's unique constraints must contain the partition key: the play key does, the old surrogate
-- id did not, and nothing reads it, so it goes.
DO $$
DECLARE
    upper_bound timestamptz;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'listening_data'::regclass) THEN
        RETURN;
    END IF;

    ALTER TABLE listening_data DROP CONSTRAINT IF EXISTS listening_data_pkey;
    ALTER TABLE listening_data DROP COLUMN IF EXISTS id;
    ALTER TABLE listening_data RENAME CONSTRAINT listening_data_play_key TO listening_data_legacy_play_key;
    ALTER INDEX listening_data_user_played_at RENAME TO listening_data_legacy_user_played_at;
    ALTER TABLE listening_data RENAME TO listening_data_legacy;

    CREATE TABLE listening_data (
        user_id      text        NOT NULL,
        artist_id    text        NOT NULL,
        track_id     text        NOT NULL,
        played_at    timestamptz NOT NULL,
        track_name   text        NOT NULL,
        artist_name  text        NOT NULL,
        album_id     text,
        album_name   text,
        duration_ms  integer     NOT NULL,
        context_uri  text,
        synced_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT listening_data_play_key UNIQUE (user_id, artist_id, track_id, played_at)
    ) PARTITION BY RANGE (played_at);
    -- The app's read: a user's plays, newest first.
    CREATE INDEX listening_data_user_played_at ON listening_data (user_id, played_at DESC);

    -- Everything stored so far, and the rest of this month, in one partition (later plays are impossible: played_at
    -- is when a track ended, and Spotify reports only the past; the bound still covers any stored outlier).
    -- Month arithmetic on UTC wall time, whatever the session's time zone.
    SELECT (date_trunc('month', greatest(now(), coalesce(max(played_at), now())) AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC'
      INTO upper_bound
      FROM listening_data_legacy;
    EXECUTE format('ALTER TABLE listening_data ATTACH PARTITION listening_data_legacy FOR VALUES FROM (MINVALUE) TO (%L)', upper_bound);
END $$;
