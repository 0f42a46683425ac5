-- 0002: Orleans ADO.NET reminders for PostgreSQL 15.
--
-- Written for Microsoft.Orleans.Reminders.AdoNet 10.4.2 with Npgsql 10 (invariant "Npgsql").
-- Relies on the `orleansquery` table created by 0001 (both providers read the same table and
-- ignore each other's keys). Runs inside one transaction and is safe to re-run.

-- One row per (service, grain, reminder name).
--   grain_id   text: GrainId strings can be long (150+ characters), so no length limit.
--   period     bigint milliseconds: the provider binds int4, or int8 above int.MaxValue (~24.8 days).
--   grain_hash the uint uniform hash cast to a SIGNED int4 by the provider; range queries compare signed.
--   version    per-row etag: 0 on insert, +1 per upsert; deletes must present it.
CREATE TABLE IF NOT EXISTS orleans_reminders
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period        bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- For the ring-range reads (ReadRangeRows1/2) each silo runs when it takes ownership of a hash range.
-- Plain CREATE INDEX: this file runs inside a transaction, where CONCURRENTLY is not allowed.
CREATE INDEX IF NOT EXISTS orleans_reminders_service_hash_idx
    ON orleans_reminders (service_id, grain_hash);

-- Every read returns GrainId, ReminderName, StartTime, Period, Version (matched case-insensitively;
-- quoted so they match exactly). Zero rows means "not found".
INSERT INTO orleansquery (querykey, querytext)
VALUES
-- Insert or overwrite, no etag check (last writer wins, as the provider expects); returns the new version.
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminders AS r
    (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = EXCLUDED.start_time,
    period     = EXCLUDED.period,
    grain_hash = EXCLUDED.grain_hash,
    version    = r.version + 1
RETURNING r.version AS "Version"
$q$),

('ReadReminderRowsKey', $q$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period        AS "Period",
       version       AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId
  AND grain_id = @GrainId
$q$),

('ReadReminderRowKey', $q$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period        AS "Period",
       version       AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId
  AND grain_id = @GrainId
  AND reminder_name = @ReminderName
$q$),

-- Range (BeginHash, EndHash] when BeginHash < EndHash in signed order.
('ReadRangeRows1Key', $q$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period        AS "Period",
       version       AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId
  AND grain_hash > @BeginHash
  AND grain_hash <= @EndHash
$q$),

-- Wrapping range: everything above BeginHash plus everything up to EndHash.
-- BeginHash = EndHash (a single silo owning the whole ring) therefore returns every row.
('ReadRangeRows2Key', $q$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period        AS "Period",
       version       AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId
  AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$),

-- Delete only if the caller's etag is current; returns one bool (true = deleted).
('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleans_reminders
    WHERE service_id = @ServiceId
      AND grain_id = @GrainId
      AND reminder_name = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted)
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminders
WHERE service_id = @ServiceId
$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
