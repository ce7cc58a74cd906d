namespace BpClub.Grains.Cards;

/// <summary>
/// A card grain's Orleans state: the account as of ledger entry <see cref="Sequence"/>. It is
/// written now and then, not on every command — the ledger is the truth, and activation replays
/// the entries after the snapshot — so its size does not depend on the card's history.
/// </summary>
public sealed class CardSnapshot
{
    /// <summary>The card number, so an operator (or a test) can find a card's row in the Orleans storage
    /// table.</summary>
    public string? Card { get; set; }

    public long Sequence { get; set; }
    public CardAccountState? Account { get; set; }

    /// <summary>Set by the storage serializer when the stored row could not be read: the card rebuilds from its
    /// ledger.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Unreadable { get; init; }
}
