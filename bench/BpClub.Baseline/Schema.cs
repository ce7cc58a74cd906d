using Npgsql;

namespace BpClub.Baseline;

/// <summary>The baseline's own tables: a card row holding its balance, a purchase row per receipt.</summary>
public static class Schema
{
    public static async Task Create(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("""
            create table if not exists cards (
                card_number text primary key,
                first_name  text not null,
                last_name   text not null,
                phone       text,
                birth_date  date,
                issued_at   timestamptz not null,
                issued_by   text not null,
                balance     bigint not null default 0);
            -- (station, receipt) is the purchase's idempotency key: a replay inserts nothing.
            create table if not exists purchases (
                station_id  text not null,
                receipt_id  text not null,
                card_number text not null references cards,
                occurred_at timestamptz not null,
                litres      numeric not null,
                amount      numeric not null,
                points      bigint not null,
                recorded_at timestamptz not null default now(),
                primary key (station_id, receipt_id));
            create index if not exists purchases_card on purchases (card_number);
            create table if not exists stations (
                id text primary key, name text not null, address text not null, key_hash bytea);
            create table if not exists promotions (
                id text primary key, product_codes text[] not null, multiplier numeric not null,
                starts_at timestamptz not null, ends_at timestamptz not null);
            """);
        await command.ExecuteNonQueryAsync();
    }
}
