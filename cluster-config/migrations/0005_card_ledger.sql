-- Card ledgers: the append-only source of truth for every card's points, written only by the
-- card's grain. A card's Orleans grain state is a compact snapshot rebuilt from these rows.
-- Personal data lives only in card_holders, so that termination can erase it completely.

create table card_ledger (
    card_number  char(16)    not null,
    seq          bigint      not null,
    kind         text        not null,
    at           timestamptz not null,
    -- Signed change of the card's total; for 'released' the points that became available.
    points       bigint      not null,
    litres       numeric(12,3),
    amount       numeric(14,2),
    station_id   text,
    operation_id text,
    -- The receipt a purchase or a refund belongs to, for finding a receipt's refunds.
    receipt_id   text,
    available_at timestamptz,
    description  text        not null,
    event        jsonb       not null,
    recorded_at  timestamptz not null default now(),
    primary key (card_number, seq)
);

create index card_ledger_receipt on card_ledger (card_number, receipt_id) where receipt_id is not null;

-- One row per idempotent command: a retried operation id finds its first result here.
create table card_operations (
    card_number   char(16) not null,
    operation_key text     not null,
    request_hash  bytea    not null,
    result        jsonb    not null,
    seq           bigint   not null,
    primary key (card_number, operation_key)
);

create table card_holders (
    card_number char(16)    primary key,
    first_name  text        not null,
    last_name   text        not null,
    phone       text,
    birth_date  date,
    consent_at  timestamptz not null,
    issued_at   timestamptz not null,
    issued_by   text        not null
);

create table promotions (
    promotion_id  text        primary key,
    name          text        not null,
    starts_at     timestamptz not null,
    ends_at       timestamptz not null,
    station_ids   text[],
    product_codes text[],
    categories    text[],
    multiplier    numeric(6,3),
    bonus_points  bigint,
    updated_at    timestamptz not null default now()
);
