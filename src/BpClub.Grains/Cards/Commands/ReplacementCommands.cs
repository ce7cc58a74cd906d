using BpClub.Domain.Units;

namespace BpClub.Grains.Cards.Commands;

/// <summary>
/// Step 1 of a replacement, on the old card: everything leaves it under a new transfer id, in transit to the new
/// card. One per new card: a retry (same new card) answers the first result, whoever of the operators sends it.
/// </summary>
public sealed record StartReplacementCommand(string Card, ReplaceCard Replacement, string TransferId,
    bool MovesRegistration) : ICardCommand<ReplacementResult>
{
    public string? OperationKey => $"replacement:{Replacement.NewCardNumber}";
    public object? Request => Replacement with { OperatorId = null };

    public CardDecision<ReplacementResult> Decide(CardAccount account, DateTimeOffset now) =>
        CardDecision<ReplacementResult>.From(
            account.StartReplacement(TransferId, Replacement.NewCardNumber, MovesRegistration,
                Replacement.OperatorId, now),
            d =>
            {
                var moved = d.Events.OfType<ReplacementStarted>().Single().Moved;
                return new ReplacementResult(Card, Replacement.NewCardNumber, TransferId, new Points(moved.Settled),
                    new Points(moved.OnHold()), now);
            });
}

/// <summary>Step 2, on the new card: once per transfer id, what the old card recorded as handed over.</summary>
public sealed record ReceiveTransferCommand(string TransferId, string OldCard, MovedAccount Moved)
    : ICardCommand<BalanceModel>
{
    public string? OperationKey => $"transfer:{TransferId}";
    public object? Request => new { TransferId, OldCard };

    public CardDecision<BalanceModel> Decide(CardAccount account, DateTimeOffset now) =>
        CardDecision<BalanceModel>.From(account.ReceiveTransfer(TransferId, OldCard, Moved, now),
            d => ToModel(d.After.BalanceAt(now)));
}

/// <summary>Step 3, on the old card: closed for good, its successor holds everything.</summary>
public sealed record CompleteReplacementCommand(string TransferId) : ICardCommand<bool>
{
    public string? OperationKey => null;
    public object? Request => null;

    public CardDecision<bool> Decide(CardAccount account, DateTimeOffset now) =>
        CardDecision<bool>.From(account.CompleteReplacement(TransferId, now), d => d.Events.Count > 0);
}

/// <summary>Instead of step 3, when the new card refused the transfer: the old card takes everything back.</summary>
public sealed record AbortReplacementCommand(string TransferId, string Reason) : ICardCommand<bool>
{
    public string? OperationKey => null;
    public object? Request => null;

    public CardDecision<bool> Decide(CardAccount account, DateTimeOffset now) =>
        CardDecision<bool>.From(account.AbortReplacement(TransferId, Reason, now), d => d.Events.Count > 0);
}
