-- 0001: Orleans ADO.NET clustering (membership) for PostgreSQL 15.
--
-- Written for Microsoft.Orleans.Clustering.AdoNet 10.4.2 with Npgsql 10 (invariant "Npgsql").
-- The provider ships no SQL: it runs `SELECT QueryKey, QueryText FROM OrleansQuery` once at start-up
-- and then executes the stored texts below verbatim with named @Parameters. Table and column names
-- are ours; the contract is the query keys, the parameter names and the result column names/shapes.
-- Stored texts are cached by each silo/client: changing one needs a restart to take effect.
--
-- Runs inside one transaction and is safe to re-run (IF NOT EXISTS / ON CONFLICT).

-- Unquoted on purpose: the provider's hard-coded, unquoted `OrleansQuery` folds to `orleansquery`.
-- Key lookup is ordinal (case-sensitive); shared with the reminder keys in 0002.
CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  text NOT NULL PRIMARY KEY,
    querytext text NOT NULL
);

-- One row per cluster (ClusterId is bound as @DeploymentId). `version` is the table-wide etag: every
-- membership insert/update must present the version it last read and bumps it by one.
-- int4 because the provider parses the etag with int.Parse.
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id text        NOT NULL PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, port, generation).
-- Ints are int4 because the provider reads them with GetInt32; times are timestamptz because Npgsql 6+
-- sends UTC DateTime parameters as timestamptz. proxy_port is NOT NULL: it is read with GetInt32 (0 = no gateway).
-- suspect_times is the provider's "silo,date|silo,date" string, NULL when there are no votes.
CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id   text        NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL,
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Query texts. Dollar-quoted so the SQL needs no escaping. Result columns are aliased to the names
-- the provider reads (matched case-insensitively; quoted here so they match exactly).
INSERT INTO orleansquery (querykey, querytext)
VALUES
-- Idempotent: creates the cluster's version row (version 0) if absent. Returns one bool (true = created).
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id, version)
    VALUES (@DeploymentId, 0)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created)
$q$),

-- The version row outer-joined to every member: the provider needs at least one row to learn the
-- version; a row whose StartTime is NULL means "no members".
('MembershipReadAllKey', $q$
SELECT v.version           AS "Version",
       m.address           AS "Address",
       m.port              AS "Port",
       m.generation        AS "Generation",
       m.silo_name         AS "SiloName",
       m.host_name         AS "HostName",
       m.status            AS "Status",
       m.proxy_port        AS "ProxyPort",
       m.suspect_times     AS "SuspectTimes",
       m.start_time        AS "StartTime",
       m.i_am_alive_time   AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

-- Same shape for one silo. The silo filter sits in the JOIN (not the WHERE) so the version row is
-- still returned when the silo has no row.
('MembershipReadRowKey', $q$
SELECT v.version           AS "Version",
       m.address           AS "Address",
       m.port              AS "Port",
       m.generation        AS "Generation",
       m.silo_name         AS "SiloName",
       m.host_name         AS "HostName",
       m.status            AS "Status",
       m.proxy_port        AS "ProxyPort",
       m.suspect_times     AS "SuspectTimes",
       m.start_time        AS "StartTime",
       m.i_am_alive_time   AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m
       ON m.deployment_id = v.deployment_id
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

-- Optimistic insert, atomic in one statement (the provider opens no transaction):
-- the version bump only happens if the stored version equals @Version (the one last read) and the silo
-- has no row; the member row is inserted only from the bumped row. A concurrent writer that got there
-- first has changed the version, which PostgreSQL re-checks after waiting on the row lock, so the loser
-- bumps nothing and returns false. (A duplicate key could only come from a writer that skipped the
-- version bump; it would abort the whole statement, version bump included.)
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1,
        updated_at = now()
    WHERE deployment_id = @DeploymentId
      AND version = @Version
      AND NOT EXISTS (SELECT 1
                      FROM orleans_membership
                      WHERE deployment_id = @DeploymentId
                        AND address = @Address
                        AND port = @Port
                        AND generation = @Generation)
    RETURNING deployment_id
), inserted AS (
    INSERT INTO orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
         suspect_times, start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
           NULL, @StartTime, @IAmAliveTime
    FROM bumped
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted)
$q$),

-- Optimistic update, atomic in one statement. Order matters so that "false" has no side effect:
--   1. lock the version row only if it still holds @Version (re-checked after any lock wait);
--   2. update the member row only if step 1 found it (a row deleted meanwhile is simply not updated);
--   3. bump the version only if step 2 updated a row.
-- Lock order (version row, then member row) is the same as InsertMembershipKey's.
('UpdateMembershipKey', $q$
WITH expected AS (
    SELECT deployment_id
    FROM orleans_membership_version
    WHERE deployment_id = @DeploymentId
      AND version = @Version
    FOR UPDATE
), updated AS (
    UPDATE orleans_membership m
    SET status = @Status,
        suspect_times = @SuspectTimes,
        i_am_alive_time = @IAmAliveTime
    FROM expected e
    WHERE m.deployment_id = e.deployment_id
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
    RETURNING m.deployment_id
), bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1,
        updated_at = now()
    WHERE deployment_id IN (SELECT deployment_id FROM updated)
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM bumped)
$q$),

-- Heartbeat: deliberately does not touch the version (it is not a membership change).
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
$q$),

-- Removes the whole cluster (members first, then the version row; the FK cascade would also do it).
('DeleteMembershipTableEntriesKey', $q$
WITH members AS (
    DELETE FROM orleans_membership
    WHERE deployment_id = @DeploymentId
)
DELETE FROM orleans_membership_version
WHERE deployment_id = @DeploymentId
$q$),

-- Gateway discovery for clients; @Status is bound as 3 (Active). proxy_port 0 = not a gateway.
('GatewaysQueryKey', $q$
SELECT address      AS "Address",
       proxy_port   AS "ProxyPort",
       generation   AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND status = @Status
  AND proxy_port > 0
$q$),

-- Bulk cleanup (used by 10.4.2 only when CleanupDefunctSiloEntryKey is absent, but always required).
-- @IAmAliveTime is the cutoff (now - DefunctSiloExpiration). Never changes the version.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND i_am_alive_time < @IAmAliveTime
  AND status <> 3
$q$),

-- Per-row cleanup (optional in 10.4.2, preferred when present): the provider picked the row in .NET
-- from a read; delete it only if it is still Dead (6) with exactly the values it saw, so a row that
-- changed meanwhile survives. Empty and NULL suspect_times both mean "no votes" to the provider's
-- reader (which then binds NULL), so they compare equal here.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
  AND status = 6
  AND COALESCE(suspect_times, '') = COALESCE(@SuspectTimes, '')
  AND start_time = @StartTime
  AND i_am_alive_time = @IAmAliveTime
$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
