namespace BpClub.Abstractions;

/// <summary>A front end watching a card's balance for a member's live stream.</summary>
public interface IBalanceObserver : IGrainObserver
{
    [Orleans.Concurrency.OneWay]
    Task BalanceChanged(BalanceModel balance);
}
