using System.Threading.Channels;
using BpClub.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace BpClub.Grains.Cards.Storage;

/// <summary>
/// How a card's writes went: committed when both lists are empty; otherwise left out whole, with the operation keys
/// recorded before (retries) and those of purchases whose receipt the station recorded on another card.
/// </summary>
public sealed record AppendResult(IReadOnlyList<string> RecordedBefore, IReadOnlyList<string> ReceiptsTaken)
{
    public static readonly AppendResult Committed = new([], []);

    public bool LeftOut => RecordedBefore.Count > 0 || ReceiptsTaken.Count > 0;
}

/// <summary>
/// The silo's group commit. Every card grain hands its batch of ledger writes here; whatever the cards
/// of this silo have waiting at the same moment goes to PostgreSQL as ONE statement — one round trip,
/// one transaction, one fsync — and each card is answered after that commit. Throughput then grows with
/// the number of tills posting at once, not with how often they meet on one card.
/// </summary>
/// <remarks>
/// A card whose operation id is already recorded (a retry that reached a new activation) is left out of
/// the statement whole and gets the keys found, exactly as a write of its own would; so is a card with a
/// purchase whose receipt the station recorded on another card (station_receipts), which gets those keys.
/// A statement that fails for one card (a stale activation reusing a sequence number, two cards claiming one
/// receipt at once) is tried again card by card, so that only that card fails or is left out.
/// </remarks>
public sealed partial class LedgerGroupCommit(NpgsqlDataSource database, IOptions<ClusterOptions> cluster,
    ILogger<LedgerGroupCommit> logger)
{
    /// <summary>Cards per statement: enough to amortise the fsync; small enough to keep a statement short.</summary>
    private const int MaxCards = 512;
    /// <summary>Statements in flight at once: one commits while the next one fills.</summary>
    private const int Committers = 2;

    private readonly Channel<Pending> _waiting =
        Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Lock _start = new();
    private bool _started;

    /// <summary>
    /// Commits one card's writes, or none of them: when an operation id was recorded before, or a purchase's
    /// receipt was recorded on another card, nothing of the card is kept and the keys found are returned.
    /// </summary>
    /// <param name="lastSeq">The last ledger entry the activation knows of. The card is written, and even a
    /// command that changes nothing is answered, only if that is still the ledger's last entry; otherwise the
    /// activation is stale and gets a <see cref="StaleActivationException"/>.</param>
    /// <param name="reminder">The card's release reminder to arm with these writes, or null: the row is written in
    /// the same transaction, so a lot is never committed without its reminder, at no extra round trip.</param>
    public Task<AppendResult> Append(string card, long lastSeq, IReadOnlyList<LedgerWrite> writes,
        ReminderRow? reminder = null)
    {
        EnsureStarted();
        var pending = new Pending(card, lastSeq, writes, reminder);
        _waiting.Writer.TryWrite(pending);
        return pending.Task;
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _started)) return;
        lock (_start)
        {
            if (_started) return;
            for (var i = 0; i < Committers; i++) _ = Task.Run(CommitLoop);
            Volatile.Write(ref _started, true);
        }
    }

    private async Task CommitLoop()
    {
        var group = new List<Pending>(MaxCards);
        while (await _waiting.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxCards && _waiting.Reader.TryRead(out var pending)) group.Add(pending);
            if (group.Count > 0) await Commit(group);
        }
    }

    private async Task Commit(List<Pending> group)
    {
        try
        {
            var recorded = await Execute(group);
            foreach (var pending in group) pending.Answer(recorded);
        }
        catch (PostgresException e) when (!e.IsTransient && (group.Count > 1 || e.ConstraintName == ReceiptKey))
        {
            // (Alone, a receipt another transaction claimed meanwhile is seen as taken on the second try.)
            // One card's rows broke the statement (nothing was committed): each card alone, so only that one fails.
            LogGroupFailed(e, group.Count);
            foreach (var pending in group)
            {
                try
                {
                    pending.Answer(await ExecuteAlone(pending));
                }
                catch (Exception alone) { pending.Fail(alone); }
            }
        }
        catch (Exception e)
        {
            foreach (var pending in group) pending.Fail(e);
        }
    }

    private const string ReceiptKey = "station_receipts_pkey";

    /// <summary>
    /// One card's statement. A receipt that another transaction claimed while this one ran breaks it; tried again,
    /// the card then finds the receipt taken (a few times, for claims racing each other on several silos).
    /// </summary>
    private async Task<Dictionary<string, AppendResult?>> ExecuteAlone(Pending pending)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Execute([pending]);
            }
            catch (PostgresException e) when (e.ConstraintName == ReceiptKey && attempt < 4) { }
        }
    }

    /// <summary>The statement for a group: per card left out, what was found (null when stale).</summary>
    private async Task<Dictionary<string, AppendResult?>> Execute(IReadOnlyList<Pending> group)
    {
        var rows = new GroupRows();
        foreach (var pending in group) rows.Add(pending.Card, pending.LastSeq, pending.Writes, pending.Reminder);
        await using var command = database.CreateCommand(Statement);
        rows.Bind(command.Parameters);
        command.Parameters.AddWithValue("service", cluster.Value.ServiceId);
        var leftOut = new Dictionary<string, AppendResult?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var card = reader.GetString(0);
            if (reader.IsDBNull(1))
            {
                leftOut[card] = null;
                continue;
            }
            if (!leftOut.TryGetValue(card, out var found)) leftOut[card] = found =
                new AppendResult(new List<string>(), new List<string>());
            if (found is null) continue;
            if (reader.GetBoolean(2)) ((List<string>)found.ReceiptsTaken).Add(reader.GetString(1));
            else ((List<string>)found.RecordedBefore).Add(reader.GetString(1));
        }
        return leftOut;
    }

    /// <summary>
    /// One statement for the whole group. Data-modifying CTEs all see the tables as they were before the
    /// statement: "stale" finds the cards whose ledger has an entry their activation does not know of (the
    /// fence), "recorded" those with an operation id already recorded, and every insert and delete leaves
    /// both out, so they change nothing.
    /// </summary>
    private const string Statement = """
        with fence as (
            select * from unnest(@f_card::char(16)[], @f_seq::bigint[]) as t(card_number, seq)
        ),
        stale as (
            select f.card_number from fence f
            where coalesce((select max(l.seq) from card_ledger l where l.card_number = f.card_number), 0) <> f.seq
        ),
        op_in as (
            select * from unnest(@op_card::char(16)[], @op_key::text[], @op_hash::bytea[], @op_result::text[],
                @op_seq::bigint[])
                as t(card_number, operation_key, request_hash, result, seq)
        ),
        recorded as (
            select o.card_number, o.operation_key
            from card_operations o join op_in i on o.card_number = i.card_number and o.operation_key = i.operation_key
        ),
        receipts_in as (
            select * from unnest(@rc_card::char(16)[], @rc_station::text[], @rc_receipt::text[])
                as t(card_number, station_id, receipt_id)
        ),
        taken as (
            -- A station's receipt already earning on another card: this card's purchase of it is refused.
            select distinct i.card_number, i.station_id, i.receipt_id
            from receipts_in i join station_receipts s on s.station_id = i.station_id and s.receipt_id = i.receipt_id
            where s.card_number <> i.card_number
        ),
        left_out as (
            select card_number from stale union select card_number from recorded union select card_number from taken
        ),
        receipts as (
            -- No "on conflict": a receipt claimed at this moment by another card's transaction breaks the
            -- statement, and the card's retry alone then finds it taken.
            insert into station_receipts (station_id, receipt_id, card_number)
            select i.station_id, i.receipt_id, i.card_number from receipts_in i
            where i.card_number not in (select card_number from left_out)
              and not exists (select 1 from station_receipts s
                              where s.station_id = i.station_id and s.receipt_id = i.receipt_id
                                and s.card_number = i.card_number)
        ),
        ops as (
            insert into card_operations (card_number, operation_key, request_hash, result, seq)
            select card_number, operation_key, request_hash, result::jsonb, seq from op_in
            where card_number not in (select card_number from left_out)
        ),
        ledger as (
            insert into card_ledger (card_number, seq, kind, at, points, litres, amount, station_id, operation_id,
                receipt_id, available_at, description, event)
            select card_number, seq, kind, at, points, litres, amount, station_id, operation_id,
                receipt_id, available_at, description, event::jsonb
            from unnest(@l_card::char(16)[], @l_seq::bigint[], @l_kind::text[], @l_at::timestamptz[],
                @l_points::bigint[], @l_litres::numeric[], @l_amount::numeric[], @l_station::text[],
                @l_operation::text[], @l_receipt::text[],
                @l_available::timestamptz[], @l_description::text[], @l_event::text[])
                as t(card_number, seq, kind, at, points, litres, amount, station_id, operation_id, receipt_id,
                    available_at, description, event)
            where card_number not in (select card_number from left_out)
        ),
        holders as (
            insert into card_holders
                (card_number, first_name, last_name, phone, birth_date, consent_at, issued_at, issued_by,
                 card_code_hash)
            select card_number, first_name, last_name, phone, birth_date, issued_at, issued_at, issued_by,
                card_code_hash
            from unnest(@h_card::char(16)[], @h_first::text[], @h_last::text[], @h_phone::text[], @h_birth::date[],
                @h_issued::timestamptz[], @h_by::text[], @h_code::bytea[])
                as t(card_number, first_name, last_name, phone, birth_date, issued_at, issued_by, card_code_hash)
            where card_number not in (select card_number from left_out)
        ),
        erased as (
            delete from card_holders
            where card_number = any(@erase::char(16)[]) and card_number not in (select card_number from left_out)
        ),
        accounts_erased as (
            -- The cabinet account (the phone, the password hash, the sessions) goes in the same statement as the
            -- questionnaire and the ledger's termination entry: an erasure cannot half-happen.
            delete from members
            where card_number = any(@erase::char(16)[]) and card_number not in (select card_number from left_out)
        ),
        forgotten as (
            -- The issue operation's request hash was computed from the questionnaire: a hash of a name,
            -- a phone and a birth date can be guessed back, so it goes with them.
            delete from card_operations
            where card_number = any(@erase::char(16)[]) and operation_key = 'issue'
              and card_number not in (select card_number from left_out)
        ),
        reminders as (
            -- As the reminder table's UpsertReminderRowKey writes it (a new ETag each time).
            insert into orleansreminderstable (serviceid, grainid, remindername, starttime, period, grainhash, version)
            select @service, grain_id, name, start_at, period, grain_hash, 0
            from unnest(@r_card::char(16)[], @r_grain::text[], @r_name::text[], @r_start::timestamptz[],
                @r_period::bigint[], @r_hash::integer[]) as t(card_number, grain_id, name, start_at, period, grain_hash)
            where card_number not in (select card_number from left_out)
            on conflict (serviceid, grainid, remindername) do update
            set starttime = excluded.starttime, period = excluded.period, grainhash = excluded.grainhash,
                version = case when orleansreminderstable.version >= 2147483647 then 0
                               else orleansreminderstable.version + 1 end
        )
        select card_number::text, null::text, false from stale
        union all
        select card_number::text, operation_key, false from recorded
        where card_number not in (select card_number from stale)
        union all
        select card_number::text, 'purchase:' || station_id || ':' || receipt_id, true from taken
        where card_number not in (select card_number from stale)
        """;

    private sealed class Pending(string card, long lastSeq, IReadOnlyList<LedgerWrite> writes, ReminderRow? reminder)
    {
        private readonly TaskCompletionSource<AppendResult> _answer =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Card { get; } = card;
        public long LastSeq { get; } = lastSeq;
        public IReadOnlyList<LedgerWrite> Writes { get; } = writes;
        public ReminderRow? Reminder { get; } = reminder;
        public Task<AppendResult> Task => _answer.Task;

        public void Answer(Dictionary<string, AppendResult?> leftOut)
        {
            if (!leftOut.TryGetValue(Card, out var recorded)) _answer.TrySetResult(AppendResult.Committed);
            else if (recorded is null) _answer.TrySetException(new StaleActivationException(
                $"Card {Card}: the ledger has entries after {LastSeq} that this activation does not know of."));
            else _answer.TrySetResult(recorded);
        }

        public void Fail(Exception e) => _answer.TrySetException(e);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A group commit of {Cards} cards failed; committing them one by one")]
    private partial void LogGroupFailed(Exception e, int cards);
}
