namespace BpClub.Grains.Cards.Commands;

/// <summary>
/// A returned purchase, whole or some of its lines: it reads the station's receipt and its earlier refunds from the
/// ledger before it decides.
/// </summary>
public sealed record RefundCommand(RefundPurchase Refund) : ICardCommand<RefundResult>
{
    /// <summary>The receipt as read by <see cref="Prepare"/>; null when this station has none on the card.</summary>
    public PointsEarned? Receipt { get; init; }
    public IReadOnlyList<PurchaseRefunded> EarlierRefunds { get; init; } = [];
    /// <summary>The receipt's annulment when it was reported so late that its points were annulled as
    /// recorded.</summary>
    public LateReceiptAnnulled? Annulled { get; init; }

    /// <summary>The cards this one replaced: a receipt one of them earned is refunded here, where its points
    /// are.</summary>
    public IReadOnlyList<string> Predecessors { get; init; } = [];

    public string? OperationKey => $"refund:{Refund.StationId}:{Refund.RefundId}";
    public object? Request => Refund;
    public bool ReadsLedger => true;

    public ValidationErrors Validate(CommandValidator validator, DateTimeOffset now) =>
        validator.ValidateRefund(Refund.RefundId, Refund.ReceiptId, Refund.StationId, Refund.Lines ?? []);

    public async Task<ICardCommand<RefundResult>> Prepare(ICardLedger ledger, string card)
    {
        var (receipt, refunds, annulled) = await ledger.FindReceipt(card, Refund.ReceiptId, Refund.StationId);
        if (receipt is null)
        {
            // Refunds of it recorded here count with those recorded on the card that earned it.
            foreach (var earlier in Predecessors)
            {
                var (found, before, late) = await ledger.FindReceipt(earlier, Refund.ReceiptId, Refund.StationId);
                if (found is null) continue;
                return this with
                {
                    Receipt = found, EarlierRefunds = [.. before, .. refunds.Where(r => r.Refunds(found))],
                    Annulled = late,
                };
            }
        }
        return this with { Receipt = receipt, EarlierRefunds = refunds, Annulled = annulled };
    }

    public CardDecision<RefundResult> Decide(CardAccount account, DateTimeOffset now)
    {
        if (Receipt is null)
            return CardDecision<RefundResult>.EntryNotFound(account,
                $"This station has no receipt {Refund.ReceiptId} on this card.");
        var lines = (Refund.Lines ?? []).Select(l => l - 1).ToHashSet();
        return CardDecision<RefundResult>.From(
            account.Refund(Refund.RefundId, Refund.StationId, Receipt, EarlierRefunds, lines, now, Annulled),
            d => new RefundResult(Refund.RefundId, d.Events.OfType<PurchaseRefunded>().Single().Total,
                ToModel(d.After.BalanceAt(now))));
    }
}
