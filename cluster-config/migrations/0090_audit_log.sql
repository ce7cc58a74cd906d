-- The security audit log: who did what, when and from where (sign-ins, their failures and lock-outs, operators'
-- actions, key creation and rotation, terminations). Append-only: the triggers below refuse UPDATE, DELETE and
-- TRUNCATE for every role, the table's owner included. It never holds a secret (no key, password, code or token)
-- nor personal data: a phone appears only as its SHA-256, a termination without its reference.
create table audit_log (
    id      bigint      generated always as identity primary key,
    at      timestamptz not null,
    kind    text        not null,
    -- operator:<id>, member:<card number>, phone:<SHA-256 hex of the E.164 number>
    actor   text        not null,
    -- what it was done to: a card number, a station, partner or promotion id; null for none
    subject text,
    -- the client's address as the forwarded-headers middleware sees it
    source  text        not null,
    -- the HTTP status of the answer
    status  integer     not null,
    details jsonb       not null default '{}'
);

create index audit_log_kind on audit_log (kind, id);
create index audit_log_at on audit_log (at);
create index audit_log_subject on audit_log (subject, id);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_no_change before update or delete on audit_log
    for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only();
