-- SMS pumping guard: how many texts went to a phone today, from a source this hour, and to everyone today.
-- A phone or a source address is kept only as its SHA-256 (hex), never in clear, and a row is deleted
-- once its window is two days old.
create table sms_counters (
    scope        text        not null check (scope in ('phone', 'source', 'global')),
    key          text        not null,
    window_start timestamptz not null,
    sent         integer     not null,
    primary key (scope, key, window_start)
);

create index sms_counters_window on sms_counters (window_start);
