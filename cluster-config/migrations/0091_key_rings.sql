-- The front ends' shared keys, neither of them in clear when Data Protection's key ring is encrypted (Production).
--
-- token_signing_keys: the keys that sign members' access tokens. The newest row holding a key is the current one
-- (tokens are signed with it), the one before it the previous (still accepted for the overlap); a rotation adds a
-- row and wipes the key of every older one. The key is kept protected by Data Protection (purpose
-- BpClub.TokenSigningKeys.v1), never in clear; kid is random and names the key in each token's header.
create table token_signing_keys (
    generation    bigint      primary key,
    kid           text        not null unique,
    protected_key bytea,
    created_at    timestamptz not null,
    -- who made it: operator:<id>, or front-end for the first key
    created_by    text        not null,
    retired_at    timestamptz
);

-- Data Protection's key ring (anti-forgery tokens and every other protected payload, the token-signing keys
-- above included): one XML element per row, as IXmlRepository stores them; encrypted with the certificate from
-- configuration (DataProtection:CertificatePath) when there is one, which Production requires.
create table data_protection_keys (
    id            bigint      generated always as identity primary key,
    friendly_name text        not null,
    xml           text        not null,
    created_at    timestamptz not null default now()
);
