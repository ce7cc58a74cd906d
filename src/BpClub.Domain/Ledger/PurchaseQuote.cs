using BpClub.Domain.Earning;

namespace BpClub.Domain.Ledger;

/// <summary>What a purchase would earn on a card (<see cref="Earning"/>), or why the card cannot earn.</summary>
public sealed record PurchaseQuote(PurchaseEarning? Earning, Rejection? Rejection);
