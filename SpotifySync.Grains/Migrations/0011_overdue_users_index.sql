-- The coordinator's missed-sync check (MissedSyncWatch) asks every minute for the active users whose scheduled sync is
-- overdue. Its rule is the reminder's next due time after the last sync started, which the user's grain stores with
-- each sync's outcome (next_sync_due_at: the due times are the grain's, anchor + k x Sync:Interval, and the interval
-- is configuration, not a column). Indexed, the check reads a few index pages; without, it scanned the whole table:
-- measured 3-4 s and ~1 GB read per check at 1,000,000 users (the rows carry encrypted tokens). Each sync already
-- rewrites the row outside HOT (a token refresh changes a column of spotify_users_token_key's predicate), so one more
-- index costs one index insert per sync.
ALTER TABLE spotify_users
    ADD COLUMN IF NOT EXISTS next_sync_due_at timestamptz;

CREATE INDEX IF NOT EXISTS spotify_users_active_next_due ON spotify_users (next_sync_due_at)
    WHERE state = 'active';

-- Rows written before the column: held to "one interval after the last start" until their next sync stores a due
-- time. Empty an interval after the upgrade.
CREATE INDEX IF NOT EXISTS spotify_users_active_without_next_due ON spotify_users (user_id)
    WHERE state = 'active' AND next_sync_due_at IS NULL;
