-- Every queued sync has an id, handed to whoever asked for it (the API's ?wait=true): the waiter is answered
-- by the outcome of that very sync, never by one that was already running when it asked.
ALTER TABLE sync_queue
    ADD COLUMN IF NOT EXISTS sync_id uuid;

-- The queued sync the last outcome belongs to.
ALTER TABLE spotify_users
    ADD COLUMN IF NOT EXISTS last_sync_id uuid;
