-- Orleans grain state for Microsoft.Orleans.Persistence.AdoNet 10.4.0 on PostgreSQL:
-- one row per (service, grain, state name), and the Read/Write/Clear/Delete query keys.
-- version is the grain state's ETag: every successful write/clear returns a new value,
-- and a write or clear whose @GrainStateVersion is stale changes nothing and returns no row.

CREATE TABLE orleansstorage
(
    grainidhash            integer      NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    graintypehash          integer      NOT NULL,
    graintypestring        varchar(512) NOT NULL,
    grainidextensionstring varchar(512) NULL,
    serviceid              varchar(150) NOT NULL,
    payloadbinary          bytea        NULL,
    modifiedon             timestamptz  NOT NULL DEFAULT now(),
    version                integer      NOT NULL,

    -- At most one row per state: a racing first write loses with a conflict instead of
    -- creating a duplicate. NULLS NOT DISTINCT (PostgreSQL 15+) covers keys without extension.
    CONSTRAINT uq_orleansstorage_grain UNIQUE NULLS NOT DISTINCT
        (grainidhash, graintypehash, serviceid, grainidn0, grainidn1,
         graintypestring, grainidextensionstring)
);

-- Next ETag after v. Wraps to 1 instead of overflowing: the provider parses ETags as
-- int32, and an optimistic check only needs the new value to differ from the old one.
CREATE FUNCTION orleans_next_version(v integer)
RETURNS integer
LANGUAGE sql
IMMUTABLE
AS $fn$
    SELECT CASE WHEN v IS NULL OR v >= 2147483647 THEN 1 ELSE v + 1 END;
$fn$;

-- Parameters bound by the provider on every query: @GrainIdHash, @GrainIdN0, @GrainIdN1,
-- @GrainTypeHash, @GrainTypeString (the state name), @GrainIdExtensionString (may be NULL),
-- @ServiceId; plus @GrainStateVersion (NULL = no ETag yet) and @PayloadBinary for writes.
INSERT INTO orleansquery (querykey, querytext) VALUES

-- Zero or one row. A cleared state has payloadbinary NULL but still a version (its ETag).
('ReadFromStorageKey', $q$
SELECT payloadbinary, version
FROM orleansstorage
WHERE grainidhash = @GrainIdHash
  AND graintypehash = @GrainTypeHash
  AND serviceid = @ServiceId
  AND grainidn0 = @GrainIdN0
  AND grainidn1 = @GrainIdN1
  AND graintypestring = @GrainTypeString
  AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString;
$q$),

-- With an ETag: update only if the stored version still equals it.
-- Without an ETag: insert only if no row exists yet.
-- Success returns one row (newgrainstateversion); a conflict returns no row, which the
-- provider turns into an InconsistentStateException.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE orleansstorage
    SET payloadbinary = @PayloadBinary,
        modifiedon = now(),
        version = orleans_next_version(version)
    WHERE @GrainStateVersion IS NOT NULL
      AND version = @GrainStateVersion
      AND grainidhash = @GrainIdHash
      AND graintypehash = @GrainTypeHash
      AND serviceid = @ServiceId
      AND grainidn0 = @GrainIdN0
      AND grainidn1 = @GrainIdN1
      AND graintypestring = @GrainTypeString
      AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
    RETURNING version
),
inserted AS (
    INSERT INTO orleansstorage
        (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
         grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
           @GrainIdExtensionString, @ServiceId, @PayloadBinary, now(), 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT version AS newgrainstateversion FROM updated
UNION ALL
SELECT version FROM inserted;
$q$),

-- Used when DeleteStateOnClear = false: keep the row, drop the payload, bump the version.
-- Returns the new version (one column), or no row on an ETag mismatch.
('ClearStorageKey', $q$
UPDATE orleansstorage
SET payloadbinary = NULL,
    modifiedon = now(),
    version = orleans_next_version(version)
WHERE version = @GrainStateVersion
  AND grainidhash = @GrainIdHash
  AND graintypehash = @GrainTypeHash
  AND serviceid = @ServiceId
  AND grainidn0 = @GrainIdN0
  AND grainidn1 = @GrainIdN1
  AND graintypestring = @GrainTypeString
  AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING version AS newgrainstateversion;
$q$),

-- Used when DeleteStateOnClear = true: remove the row if the ETag matches. Returns one
-- non-NULL value differing from the old ETag on success, or no row on an ETag mismatch.
('DeleteStorageKey', $q$
DELETE FROM orleansstorage
WHERE version = @GrainStateVersion
  AND grainidhash = @GrainIdHash
  AND graintypehash = @GrainTypeHash
  AND serviceid = @ServiceId
  AND grainidn0 = @GrainIdN0
  AND grainidn1 = @GrainIdN1
  AND graintypestring = @GrainTypeString
  AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING orleans_next_version(version) AS newgrainstateversion;
$q$);
