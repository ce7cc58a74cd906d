-- Cabinet accounts, stations, partners and the front ends' shared secrets.
-- members holds personal data (the phone) and is deleted row by row on termination.

create table members (
    card_number   char(16)    primary key,
    -- One phone number holds one registered card.
    phone         text        not null unique,
    password_hash text        not null,
    -- Open sessions: [{ "id", "expiresAt" }], a handful at most.
    sessions      jsonb       not null default '[]',
    registered_at timestamptz not null,
    password_set_at timestamptz not null
);

-- Machine callers: a key is random, shown once, stored as its SHA-256 (it has 256 bits of
-- entropy, so a slow hash would add nothing but latency to every till request).
create table stations (
    station_id     text        primary key,
    name           text        not null,
    address        text        not null,
    key_hash       bytea       not null,
    created_at     timestamptz not null,
    key_rotated_at timestamptz not null
);

create table partners (
    partner_id     text          primary key,
    name           text          not null,
    points_per_uah numeric(8,4)  not null,
    key_hash       bytea         not null,
    created_at     timestamptz   not null,
    key_rotated_at timestamptz   not null
);

-- Secrets every front end must share, e.g. the key that signs members' access tokens.
create table cluster_secrets (
    name       text        primary key,
    value      bytea       not null,
    created_at timestamptz not null default now()
);
