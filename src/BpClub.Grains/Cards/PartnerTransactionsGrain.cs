using Orleans.Concurrency;

namespace BpClub.Grains.Cards;

/// <summary>Reads the ledger for the card a partner's transaction is on; holds nothing, so any silo may
/// answer.</summary>
[StatelessWorker]
public sealed class PartnerTransactionsGrain(CardLedgerStore ledger) : Grain, IPartnerTransactionsGrain
{
    public Task<string?> FindCard(string partnerTransactionId, string partnerRefundId) =>
        ledger.FindPartnerCard(this.GetPrimaryKeyString(), partnerTransactionId, partnerRefundId);
}
