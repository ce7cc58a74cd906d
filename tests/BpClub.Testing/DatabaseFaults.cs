using System.Text.RegularExpressions;
using Npgsql;

namespace BpClub.Testing;

/// <summary>
/// Failures injected into the real database with test-only triggers, scoped to one card so that other
/// tests sharing the database are untouched. Disposing the handle drops the trigger: the fault is over.
/// </summary>
public static partial class DatabaseFaults
{
    /// <summary>
    /// Every transaction that writes this receipt's ledger row fails at COMMIT, after all its statements
    /// succeeded (a deferred constraint trigger): the write path's commit itself is refused.
    /// </summary>
    public static Task<IAsyncDisposable> RefuseLedgerCommit(this NpgsqlDataSource database, string card,
        string receiptId) =>
        Install(database, "card_ledger", "after insert", deferred: true,
            $"new.card_number = '{Literal(card)}' and new.receipt_id = '{Literal(receiptId)}'",
            $"commit of receipt {Literal(receiptId)} on card {Literal(card)} refused");

    /// <summary>Registering or updating any reminder of this card fails, as if the reminder table were down.</summary>
    public static Task<IAsyncDisposable> RefuseReminderRegistration(this NpgsqlDataSource database, string card) =>
        Install(database, "orleansreminderstable", "before insert or update", deferred: false,
            $"new.grainid like '%{Literal(card)}%'", $"reminders of card {Literal(card)} refused");

    /// <summary>Deleting this card's cabinet account fails: an erasure whose last step breaks.</summary>
    public static Task<IAsyncDisposable> RefuseMemberErasure(this NpgsqlDataSource database, string card) =>
        Install(database, "members", "before delete", deferred: false,
            $"old.card_number = '{Literal(card)}'", $"erasure of the account of card {Literal(card)} refused");

    /// <summary>Every transaction writing a ledger entry of this kind on this card fails at COMMIT (a card
    /// replacement's steps: 'replacing', 'transferred', 'replaced').</summary>
    public static Task<IAsyncDisposable> RefuseLedgerKind(this NpgsqlDataSource database, string card, string kind) =>
        Install(database, "card_ledger", "after insert", deferred: true,
            $"new.card_number = '{Literal(card)}' and new.kind = '{Literal(kind)}'",
            $"{Literal(kind)} entry on card {Literal(card)} refused");

    /// <summary>Moving this card's cabinet account to another card fails (a card replacement's second step).</summary>
    public static Task<IAsyncDisposable> RefuseMemberMove(this NpgsqlDataSource database, string card) =>
        Install(database, "members", "before update", deferred: false,
            $"old.card_number = '{Literal(card)}' and new.card_number <> old.card_number",
            $"moving the account of card {Literal(card)} refused");

    private static async Task<IAsyncDisposable> Install(NpgsqlDataSource database, string table, string timing,
        bool deferred, string condition, string message)
    {
        var name = $"test_fault_{Guid.NewGuid():N}";
        await Run(database, $"""
            create function {name}() returns trigger language plpgsql as $fn$
            begin raise exception 'test fault: {message}'; end $fn$;
            create {(deferred ? "constraint " : "")}trigger {name} {timing} on {table}
                {(deferred ? "deferrable initially deferred " : "")}for each row
                when ({condition}) execute function {name}();
            """);
        return new Fault(database, $"drop trigger if exists {name} on {table}; drop function if exists {name}();");
    }

    private static async Task Run(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Card numbers and test receipt ids only: nothing that could break out of a literal.</summary>
    private static string Literal(string value) =>
        SafeLiteral().IsMatch(value) ? value : throw new ArgumentException($"Not a plain id: {value}", nameof(value));

    [GeneratedRegex("^[A-Za-z0-9_.:-]+$")]
    private static partial Regex SafeLiteral();

    private sealed class Fault(NpgsqlDataSource database, string drop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await Run(database, drop);
    }
}
