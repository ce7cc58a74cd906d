using System.Threading.Channels;
using BpClub.Domain.Ledger;
using Npgsql;

namespace BpClub.Grains.Cards.Storage;

/// <summary>
/// The silo's activation reads, grouped as its writes are (<see cref="LedgerGroupCommit"/>): the ledger tails that
/// cards being activated at the same moment ask for go to PostgreSQL as ONE statement. A burst of cold cards (every
/// till of a network posting to cards nobody touched for days) then costs a few round trips, not one per card. A
/// lone activation waits for nothing: a read is held back only while <see cref="Readers"/> statements are already in
/// flight, and then joins the next one.
/// </summary>
public sealed class LedgerTailReads(NpgsqlDataSource database)
{
    /// <summary>Cards per statement: a statement of this many tails stays a few milliseconds long.</summary>
    private const int MaxCards = 256;
    /// <summary>Statements in flight at once.</summary>
    private const int Readers = 2;

    private const string Statement = """
        select t.n, l.seq, l.event, m.last
        from unnest(@cards::char(16)[], @after::bigint[]) with ordinality as t(card_number, after, n)
        cross join lateral (
            select coalesce(max(c.seq), 0) as last from card_ledger c where c.card_number = t.card_number) m
        left join card_ledger l on l.card_number = t.card_number and l.seq > t.after
        order by t.n, l.seq
        """;

    private readonly Channel<Pending> _waiting =
        Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Lock _start = new();
    private bool _started;

    /// <summary>
    /// The card's entries after <paramref name="seq"/>, in order, and the ledger's last sequence number (0 for none).
    /// </summary>
    public Task<(IReadOnlyList<(long Seq, CardEvent Event)> Events, long Last)> ReadTail(string card, long seq)
    {
        EnsureStarted();
        var pending = new Pending(card, seq);
        _waiting.Writer.TryWrite(pending);
        return pending.Answer.Task;
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _started)) return;
        lock (_start)
        {
            if (_started) return;
            for (var i = 0; i < Readers; i++) _ = Task.Run(ReadLoop);
            Volatile.Write(ref _started, true);
        }
    }

    private async Task ReadLoop()
    {
        var group = new List<Pending>(MaxCards);
        while (await _waiting.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxCards && _waiting.Reader.TryRead(out var pending)) group.Add(pending);
            if (group.Count == 0) continue;
            try
            {
                await Read(group);
            }
            catch (Exception e)
            {
                // The statement failed for all of them (the database is away): each activation fails and is retried
                // by its caller, as it would after a read of its own.
                foreach (var pending in group) pending.Answer.TrySetException(e);
            }
        }
    }

    private async Task Read(List<Pending> group)
    {
        await using var command = database.CreateCommand(Statement);
        command.Parameters.AddWithValue("cards", group.Select(p => p.Card).ToArray());
        command.Parameters.AddWithValue("after", group.Select(p => p.After).ToArray());
        var events = group.Select(_ => new List<(long, CardEvent)>()).ToArray();
        var last = new long[group.Count];
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var n = (int)reader.GetInt64(0) - 1;
                last[n] = reader.GetInt64(3);
                if (!reader.IsDBNull(1))
                    events[n].Add((reader.GetInt64(1), LedgerJson.DeserializeEvent(reader.GetString(2))));
            }
        }
        for (var i = 0; i < group.Count; i++) group[i].Answer.TrySetResult((events[i], last[i]));
    }

    private sealed record Pending(string Card, long After)
    {
        public TaskCompletionSource<(IReadOnlyList<(long Seq, CardEvent Event)> Events, long Last)> Answer { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
