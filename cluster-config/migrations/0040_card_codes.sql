-- Registration proves possession of the card. A card issued without a phone carries a secret code,
-- printed on it and shown to the till once; only its SHA-256 is kept (the code is random, 60 bits,
-- so a hash cannot be guessed back). Wrong codes are counted here, so a lock-out survives restarts.
-- Cards issued before this have neither a phone nor a code and cannot be registered online.

alter table card_holders
    add column card_code_hash   bytea,
    add column wrong_card_codes integer     not null default 0,
    add column card_code_locked_until timestamptz;
