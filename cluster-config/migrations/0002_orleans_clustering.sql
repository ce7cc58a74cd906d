-- Orleans membership (clustering) for Microsoft.Orleans.Clustering.AdoNet 10.4.0 on PostgreSQL:
-- one version row per cluster (ClusterId is bound as @DeploymentId) guarding optimistic
-- concurrency on the membership table, one row per silo, and every clustering query key.
-- Status values are Orleans SiloStatus: 3 = Active, 6 = Dead.

CREATE TABLE orleansmembershipversiontable
(
    deploymentid varchar(150) NOT NULL,
    modifiedon   timestamptz  NOT NULL DEFAULT now(),
    version      integer      NOT NULL DEFAULT 0,

    CONSTRAINT pk_orleansmembershipversiontable PRIMARY KEY (deploymentid)
);

CREATE TABLE orleansmembershiptable
(
    deploymentid varchar(150) NOT NULL,
    address      varchar(45)  NOT NULL,
    port         integer      NOT NULL,
    generation   integer      NOT NULL,
    siloname     varchar(150) NOT NULL,
    hostname     varchar(150) NOT NULL,
    status       integer      NOT NULL,
    proxyport    integer      NOT NULL DEFAULT 0,
    suspecttimes text         NULL,
    starttime    timestamptz  NOT NULL,
    iamalivetime timestamptz  NOT NULL,

    CONSTRAINT pk_orleansmembershiptable PRIMARY KEY (deploymentid, address, port, generation),
    CONSTRAINT fk_orleansmembershiptable_version FOREIGN KEY (deploymentid)
        REFERENCES orleansmembershipversiontable (deploymentid)
);

-- Adds a silo row and bumps the cluster version, but only if the caller's version
-- (@Version = the table version it last read) is still current. Returns true on success.
CREATE FUNCTION orleans_insert_membership(
    p_deployment_id text,
    p_address       text,
    p_port          integer,
    p_generation    integer,
    p_silo_name     text,
    p_host_name     text,
    p_status        integer,
    p_proxy_port    integer,
    p_start_time    timestamptz,
    p_i_am_alive    timestamptz,
    p_version       integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
BEGIN
    -- Lock the version row; a concurrent writer that got there first changes
    -- the version, so the re-checked predicate fails and we report a conflict.
    PERFORM 1
    FROM orleansmembershipversiontable
    WHERE deploymentid = p_deployment_id
      AND version = p_version
      AND version < 2147483647
    FOR UPDATE;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname,
         status, proxyport, suspecttimes, starttime, iamalivetime)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation,
         coalesce(p_silo_name, ''), coalesce(p_host_name, ''),
         p_status, coalesce(p_proxy_port, 0), NULL, p_start_time, p_i_am_alive)
    ON CONFLICT (deploymentid, address, port, generation) DO NOTHING;

    IF NOT FOUND THEN
        RETURN false;   -- silo row already present: nothing changed
    END IF;

    UPDATE orleansmembershipversiontable
    SET version = version + 1,
        modifiedon = now()
    WHERE deploymentid = p_deployment_id;

    RETURN true;
END
$fn$;

-- Updates a silo row (status, suspicions, liveness) and bumps the cluster version,
-- only if @Version is still current and the row exists. Returns true on success.
CREATE FUNCTION orleans_update_membership(
    p_deployment_id text,
    p_address       text,
    p_port          integer,
    p_generation    integer,
    p_status        integer,
    p_suspect_times text,
    p_i_am_alive    timestamptz,
    p_version       integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
BEGIN
    PERFORM 1
    FROM orleansmembershipversiontable
    WHERE deploymentid = p_deployment_id
      AND version = p_version
      AND version < 2147483647
    FOR UPDATE;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleansmembershiptable
    SET status       = p_status,
        suspecttimes = p_suspect_times,
        -- liveness never moves backwards (a late heartbeat must not undo a newer one)
        iamalivetime = greatest(iamalivetime, p_i_am_alive)
    WHERE deploymentid = p_deployment_id
      AND address = p_address
      AND port = p_port
      AND generation = p_generation;

    IF NOT FOUND THEN
        RETURN false;   -- no such silo row: leave the version untouched
    END IF;

    UPDATE orleansmembershipversiontable
    SET version = version + 1,
        modifiedon = now()
    WHERE deploymentid = p_deployment_id;

    RETURN true;
END
$fn$;

-- Query keys read by Orleans.Clustering.AdoNet 10.4.0. All except CleanupDefunctSiloEntryKey
-- are required (the provider refuses to start if one is missing); CleanupDefunctSiloEntryKey
-- is optional and, when present, is used instead of the bulk CleanupDefunctSiloEntriesKey.
INSERT INTO orleansquery (querykey, querytext) VALUES

-- Creates the cluster's version row if absent. Returns one column: true if it was created.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleansmembershipversiontable (deploymentid, modifiedon, version)
    VALUES (@DeploymentId, now(), 0)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1
)
SELECT count(*) > 0 AS created FROM created;
$q$),

-- Heartbeat; the provider does not read a result.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleansmembershiptable
SET iamalivetime = greatest(iamalivetime, @IAmAliveTime)
WHERE deploymentid = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation;
$q$),

-- Returns one boolean column.
('InsertMembershipKey', $q$
SELECT orleans_insert_membership(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
    @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS succeeded;
$q$),

-- Returns one boolean column.
('UpdateMembershipKey', $q$
SELECT orleans_update_membership(
    @DeploymentId, @Address, @Port, @Generation,
    @Status, @SuspectTimes, @IAmAliveTime, @Version) AS succeeded;
$q$),

-- Always one row per existing version row (silo columns NULL if the silo is unknown);
-- no row at all if the cluster has no version row yet.
('MembershipReadRowKey', $q$
SELECT
    v.deploymentid,
    m.address,
    m.port,
    m.generation,
    m.siloname,
    m.hostname,
    m.status,
    m.proxyport,
    m.suspecttimes,
    m.starttime,
    m.iamalivetime,
    v.version
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m
       ON m.deploymentid = v.deploymentid
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
WHERE v.deploymentid = @DeploymentId;
$q$),

('MembershipReadAllKey', $q$
SELECT
    v.deploymentid,
    m.address,
    m.port,
    m.generation,
    m.siloname,
    m.hostname,
    m.status,
    m.proxyport,
    m.suspecttimes,
    m.starttime,
    m.iamalivetime,
    v.version
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m
       ON m.deploymentid = v.deploymentid
WHERE v.deploymentid = @DeploymentId;
$q$),

('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId;
DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId;
$q$),

-- Used by clients (and silos) to find gateways: @Status is bound to 3 (Active).
('GatewaysQueryKey', $q$
SELECT address, proxyport, generation
FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId
  AND status = @Status
  AND proxyport > 0;
$q$),

-- Bulk fallback: drop Dead silos that started and last heartbeated before the cutoff
-- (@IAmAliveTime) and carry no suspicion votes.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId
  AND status = 6
  AND starttime < @IAmAliveTime
  AND iamalivetime < @IAmAliveTime
  AND coalesce(suspecttimes, '') = '';
$q$),

-- Per-row cleanup: deletes one Dead silo only if the row is still exactly as the provider
-- read it (captured StartTime, IAmAliveTime and SuspectTimes).
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
  AND status = 6
  AND starttime = @StartTime
  AND iamalivetime = @IAmAliveTime
  AND coalesce(suspecttimes, '') = coalesce(@SuspectTimes, '');
$q$);
