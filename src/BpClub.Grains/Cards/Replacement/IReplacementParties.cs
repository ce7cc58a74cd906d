using BpClub.Grains.Members.Storage;

namespace BpClub.Grains.Cards.Replacement;

/// <summary>
/// What a replacement asks of everything beyond the old card: the new card, the members' rows and grains, the
/// old card's ledger as written. In a silo, <see cref="GrainReplacementParties"/>; in a unit test, a fake.
/// </summary>
public interface IReplacementParties
{
    Task<Outcome<CardSummary>> Summary(string card);

    Task<bool> IsRegistered(string card);

    /// <summary>Moves the cabinet account (the members row) from one card to the other.</summary>
    Task<MemberMove> MoveMember(string from, string to);

    /// <summary>Tells a card's member grain that its row changed.</summary>
    Task ReloadMember(string card);

    Task<Outcome<BalanceModel>> ReceiveTransfer(string newCard, string transferId, string oldCard);

    /// <summary>The hand-over an old card's ledger recorded under the transfer id, if any.</summary>
    Task<ReplacementStarted?> FindStarted(string oldCard, string transferId);

    Task<Outcome<RefundResult>> Refund(string card, RefundPurchase command, CancellationToken cancellation);
}
