namespace BpClub.Grains.Cards;

/// <summary>
/// A card grain's <see cref="CardSnapshot"/> in Orleans storage: read at activation (and dropped when the ledger
/// contradicts it), written every so many entries and when the grain is collected. The ledger is the truth.
/// </summary>
internal sealed partial class CardSnapshots(IPersistentState<CardSnapshot> snapshot, string card, ILogger logger)
{
    /// <summary>A snapshot is written every so many entries (or as many as it holds lots) and on collection.</summary>
    private const int Every = 100;

    public long Sequence => snapshot.State.Sequence;

    /// <summary>Whether the stored snapshot can be the start of this card's account.</summary>
    public bool Readable => snapshot.State is var stored && !stored.Unreadable
        && (stored.Account is not null || stored.Sequence == 0) && (stored.Card is null || stored.Card == card);

    public CardAccountState? Account => Readable ? snapshot.State.Account : null;

    public long Start => Readable ? snapshot.State.Sequence : 0;

    /// <summary>
    /// A snapshot that cannot be read, or claims entries the ledger (ending at <paramref name="last"/>) does not have
    /// (a restored backup, a hand edit), is dropped: the card is rebuilt from its ledger and the snapshot replaced at
    /// once (otherwise its sequence, ahead of the ledger's, would keep it from being rewritten).
    /// </summary>
    public bool Contradicted(long last)
    {
        if (Readable && last >= snapshot.State.Sequence) return false;
        LogDiscarded(card, Readable ? $"its sequence {snapshot.State.Sequence} is ahead of the ledger's {last}"
            : "it cannot be read");
        return true;
    }

    /// <summary>
    /// A snapshot costs its size (the lots on hold); writing it no more often than that many entries keeps its
    /// cost per entry constant however many lots a busy card holds.
    /// </summary>
    public bool Due(long sequence, int heldLots) => sequence - Sequence >= Math.Max(Every, heldLots);

    public async Task Write(long sequence, CardAccount account)
    {
        try
        {
            snapshot.State = new CardSnapshot { Card = card, Sequence = sequence, Account = account.ToState() };
            await snapshot.WriteStateAsync();
        }
        catch (Exception e)
        {
            // Harmless: the ledger holds everything; activation just replays a little more.
            LogFailed(e, card);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Card {Card}: snapshot discarded because {Reason}; rebuilt from the ledger")]
    private partial void LogDiscarded(string card, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Card {Card}: snapshot write failed")]
    private partial void LogFailed(Exception e, string card);
}
