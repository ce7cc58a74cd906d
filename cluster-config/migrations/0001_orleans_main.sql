-- Orleans ADO.NET providers (Microsoft.Orleans.*.AdoNet 10.4.0, invariant "Npgsql"):
-- the query catalogue. Every provider runs "SELECT QueryKey, QueryText FROM OrleansQuery"
-- at start-up and executes only the SQL stored here; 0002-0004 fill it in.
-- Parameters in querytext use the providers' @Name placeholders (rewritten by Npgsql).

CREATE TABLE orleansquery
(
    querykey  varchar(64) NOT NULL,
    querytext text        NOT NULL,

    CONSTRAINT pk_orleansquery PRIMARY KEY (querykey)
);
