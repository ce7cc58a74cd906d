namespace BpClub.Grains.Cards;

/// <summary>
/// A command to one card, answered with a <typeparamref name="T"/>. The command log validates it, decides it on the
/// account the commands before it leave, commits what it decided and only then answers.
/// </summary>
public interface ICardCommand<T>
{
    /// <summary>The operation id under which a retry answers the first result; null for a command without.</summary>
    string? OperationKey { get; }

    /// <summary>The request as the caller sent it: a retry must repeat it to be answered the first result.</summary>
    object? Request { get; }

    /// <summary>Checks the values of the request; the rules of the programme are the account's to check.</summary>
    ValidationErrors Validate(CommandValidator validator, DateTimeOffset now) => new();

    /// <summary>True when the command reads the ledger before it decides: it then heads a batch of its own.</summary>
    bool ReadsLedger => false;

    /// <summary>Reads what it needs, once everything queued before it is committed.</summary>
    Task<ICardCommand<T>> Prepare(ICardLedger ledger, string card) => Task.FromResult(this);

    /// <summary>The release reminder's own tick, after which the reminder is moved by the reminder service.</summary>
    bool IsReminderTick => false;

    CardDecision<T> Decide(CardAccount account, DateTimeOffset now);
}
