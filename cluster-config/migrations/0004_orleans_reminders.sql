-- Orleans reminders for Microsoft.Orleans.Reminders.AdoNet 10.4.0 on PostgreSQL:
-- one row per (service, grain, reminder name) plus all reminder query keys.
-- grainhash is the grain's uniform hash stored as a signed int32; the provider picks
-- ReadRangeRows1Key/2Key by comparing the range bounds in the same signed order.

CREATE TABLE orleansreminderstable
(
    serviceid    varchar(150) NOT NULL,
    grainid      varchar(512) NOT NULL,
    remindername varchar(150) NOT NULL,
    starttime    timestamptz  NOT NULL,
    period       bigint       NOT NULL,   -- milliseconds
    grainhash    integer      NOT NULL,
    version      integer      NOT NULL,   -- the reminder's ETag

    CONSTRAINT pk_orleansreminderstable PRIMARY KEY (serviceid, grainid, remindername)
);

CREATE INDEX ix_orleansreminderstable_grainhash
    ON orleansreminderstable (serviceid, grainhash);

INSERT INTO orleansquery (querykey, querytext) VALUES

('ReadReminderRowsKey', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleansreminderstable
WHERE serviceid = @ServiceId
  AND grainid = @GrainId;
$q$),

('ReadReminderRowKey', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleansreminderstable
WHERE serviceid = @ServiceId
  AND grainid = @GrainId
  AND remindername = @ReminderName;
$q$),

-- Ring range (@BeginHash, @EndHash] that does not wrap around (BeginHash < EndHash as int32).
('ReadRangeRows1Key', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleansreminderstable
WHERE serviceid = @ServiceId
  AND grainhash > @BeginHash
  AND grainhash <= @EndHash;
$q$),

-- Ring range that wraps around (or covers the whole ring when BeginHash = EndHash).
('ReadRangeRows2Key', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleansreminderstable
WHERE serviceid = @ServiceId
  AND (grainhash > @BeginHash OR grainhash <= @EndHash);
$q$),

-- Insert or replace unconditionally; returns the row's new ETag in column version.
('UpsertReminderRowKey', $q$
INSERT INTO orleansreminderstable
    (serviceid, grainid, remindername, starttime, period, grainhash, version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
SET starttime = excluded.starttime,
    period    = excluded.period,
    grainhash = excluded.grainhash,
    version   = CASE WHEN orleansreminderstable.version >= 2147483647 THEN 0
                     ELSE orleansreminderstable.version + 1 END
RETURNING version;
$q$),

-- Deletes only if the ETag (@Version) matches. Returns one boolean column.
('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleansreminderstable
    WHERE serviceid = @ServiceId
      AND grainid = @GrainId
      AND remindername = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT count(*) > 0 AS deleted FROM deleted;
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleansreminderstable
WHERE serviceid = @ServiceId;
$q$);
