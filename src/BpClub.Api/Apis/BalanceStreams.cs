using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace BpClub.Api.Apis;

/// <summary>
/// The live balance streams this front end serves. Orleans holds an observer only weakly, so each
/// stream's observer is rooted here for as long as the stream is open: a garbage collection must not
/// end a member's live balance.
/// </summary>
public sealed partial class BalanceStreams(IClusterClient cluster, IOptions<ApiOptions> options, TimeProvider time,
    ILogger<BalanceStreams> logger)
{
    /// <summary>
    /// How often a stream renews its subscription. A renewal also re-creates the subscription when the
    /// card's activation went away (its silo died or it was collected), so it bounds how long a stream can
    /// miss changes; the card grain forgets a subscriber after four missed renewals.
    /// </summary>
    private readonly TimeSpan _renewal = options.Value.BalanceStreamRenewal;
    private readonly ConcurrentDictionary<Watcher, byte> _open = new();

    public int Open => _open.Count;

    /// <summary>
    /// The balance now, then every change the card grain pushes, until <paramref name="aborted"/> or until
    /// <paramref name="sessionOpen"/>, asked before every renewal, says the member's session has ended.
    /// </summary>
    public async IAsyncEnumerable<BalanceModel> Watch(ICardGrain card, Func<Task<bool>> sessionOpen,
        [EnumeratorCancellation] CancellationToken aborted)
    {
        var watcher = new Watcher();
        var reference = cluster.CreateObjectReference<IBalanceObserver>(watcher);
        _open.TryAdd(watcher, 0);
        BalanceModel? last = null;
        var failures = 0;
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                Outcome<BalanceModel> now;
                var ended = false;
                try
                {
                    ended = !await sessionOpen().WaitAsync(aborted);
                    now = ended ? Outcome<BalanceModel>.Fail(OutcomeStatus.Unauthorized, "The session has ended.")
                        : await card.Subscribe(reference).WaitAsync(aborted);
                    failures = 0;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The cluster or PostgreSQL is away for a moment (a silo restarting): keep the stream
                    // open and try again; the member's screen keeps the last balance meanwhile.
                    LogSubscribeFailed(e, ++failures);
                    if (!await Pause(Backoff(failures), aborted)) break;
                    continue;
                }
                if (ended) LogSessionEnded();
                if (ended || !now.Succeeded) yield break;
                // Every renewal sends the balance (its asOf moves): a heartbeat that keeps proxies from
                // closing an idle stream, and a correction for any change missed while unsubscribed.
                yield return last = now.Value!;

                using var renewal = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                renewal.CancelAfter(_renewal);
                while (true)
                {
                    BalanceModel next;
                    try { next = await watcher.Changes.Reader.ReadAsync(renewal.Token); }
                    catch (OperationCanceledException) { break; }
                    if (next != last) yield return last = next;
                }
            }
        }
        finally
        {
            _open.TryRemove(watcher, out _);
            try { await card.Unsubscribe(reference); }
            catch (Exception) { /* the grain forgets a subscriber that stops renewing */ }
            cluster.DeleteObjectReference<IBalanceObserver>(reference);
            LogClosed();
        }
    }

    private static TimeSpan Backoff(int failures) => TimeSpan.FromSeconds(Math.Min(10, 1 << Math.Min(failures - 1, 4)));

    private async Task<bool> Pause(TimeSpan delay, CancellationToken aborted)
    {
        try
        {
            await Task.Delay(delay, time, aborted);
            return true;
        }
        catch (OperationCanceledException) { return false; }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Balance stream: subscribing failed ({Failures} in a row); trying again")]
    private partial void LogSubscribeFailed(Exception e, int failures);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Balance stream closed")]
    private partial void LogClosed();

    [LoggerMessage(Level = LogLevel.Information, Message = "Balance stream ended: its session ended")]
    private partial void LogSessionEnded();

    private sealed class Watcher : IBalanceObserver
    {
        /// <summary>A slow reader loses old balances, never the newest.</summary>
        public Channel<BalanceModel> Changes { get; } = Channel.CreateBounded<BalanceModel>(
            new BoundedChannelOptions(32) { FullMode = BoundedChannelFullMode.DropOldest });

        public Task BalanceChanged(BalanceModel balance)
        {
            Changes.Writer.TryWrite(balance);
            return Task.CompletedTask;
        }
    }
}
