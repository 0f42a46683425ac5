-- The coordinator's missed-sync check (MissedSyncWatch) asks every minute for the active users whose last sync started
-- more than an interval ago. Without an index that is a scan of the whole table: measured 3-4 s and ~1 GB read per
-- check at 1,000,000 users (the rows carry encrypted tokens). Each sync already rewrites the row outside HOT (a token
-- refresh changes a column of spotify_users_token_key's predicate), so one more index costs one index insert per sync.
CREATE INDEX IF NOT EXISTS spotify_users_active_last_started ON spotify_users (last_sync_started_at)
    WHERE state = 'active';

-- Connected but never synced yet: due at the reminder's anchor. Few rows at any time (the first sync follows the connect).
CREATE INDEX IF NOT EXISTS spotify_users_active_never_started ON spotify_users (schedule_anchor)
    WHERE state = 'active' AND last_sync_started_at IS NULL;
