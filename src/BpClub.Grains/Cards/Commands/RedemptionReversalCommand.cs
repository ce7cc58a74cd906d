namespace BpClub.Grains.Cards.Commands;

/// <summary>
/// A payment with points undone by the station that took it, once: it reads the payment and any reversal of it from
/// the ledger before it decides.
/// </summary>
public sealed record RedemptionReversalCommand(ReverseRedemption Reversal) : ICardCommand<RedemptionReversalResult>
{
    /// <summary>The payment as read by <see cref="Prepare"/>; null when this station took none of that id on the
    /// card.</summary>
    public PointsRedeemed? Redemption { get; init; }
    public bool ReversedBefore { get; init; }

    public string? OperationKey => $"reversal:{Reversal.StationId}:{Reversal.ReversalId}";
    public object? Request => Reversal;
    public bool ReadsLedger => true;

    public ValidationErrors Validate(CommandValidator validator, DateTimeOffset now) =>
        validator.ValidateReversal(Reversal.ReversalId, Reversal.RedemptionId, Reversal.StationId);

    public async Task<ICardCommand<RedemptionReversalResult>> Prepare(ICardLedger ledger, string card)
    {
        var (redemption, reversed) = await ledger.FindRedemption(card, Reversal.RedemptionId, Reversal.StationId);
        return this with { Redemption = redemption, ReversedBefore = reversed };
    }

    public CardDecision<RedemptionReversalResult> Decide(CardAccount account, DateTimeOffset now)
    {
        if (Redemption is null)
            return CardDecision<RedemptionReversalResult>.EntryNotFound(account,
                $"This station has no payment with points {Reversal.RedemptionId} on this card.");
        return CardDecision<RedemptionReversalResult>.From(
            account.ReverseRedemption(Reversal.ReversalId, Reversal.StationId, Redemption, ReversedBefore, now),
            d => new RedemptionReversalResult(Reversal.ReversalId, Reversal.RedemptionId,
                d.Events.OfType<RedemptionReversed>().Single().Points, ToModel(d.After.BalanceAt(now))));
    }
}
