using BpClub.Grains.Members.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace BpClub.Grains.Cards.Replacement;

/// <summary>The replacement's parties in a silo: the cards' and members' grains and stores.</summary>
internal sealed class GrainReplacementParties(IGrainFactory grains, IServiceProvider services,
    CardLedgerStore history) : IReplacementParties
{
    public Task<Outcome<CardSummary>> Summary(string card) => grains.GetGrain<ICardGrain>(card).GetSummary();

    public Task<bool> IsRegistered(string card) => grains.GetGrain<IMemberGrain>(card).IsRegistered();

    public Task<MemberMove> MoveMember(string from, string to) =>
        services.GetRequiredService<MemberStore>().Move(from, to);

    public Task ReloadMember(string card) => grains.GetGrain<IMemberGrain>(card).Reload();

    public Task<Outcome<BalanceModel>> ReceiveTransfer(string newCard, string transferId, string oldCard) =>
        grains.GetGrain<ICardGrain>(newCard).ReceiveTransfer(transferId, oldCard);

    public Task<ReplacementStarted?> FindStarted(string oldCard, string transferId) =>
        history.FindReplacementStarted(oldCard, transferId);

    public Task<Outcome<RefundResult>> Refund(string card, RefundPurchase command, CancellationToken cancellation) =>
        grains.GetGrain<ICardGrain>(card).Refund(command, cancellation);
}
