using BpClub.Abstractions;

namespace BpClub.Testing;

/// <summary>How a till treats a card: a call that threw was not acknowledged, so it sends the command again.</summary>
public static class Tills
{
    /// <summary>Sends until the card answers (any outcome); returns the answer and the exceptions before it.</summary>
    public static async Task<(Outcome<T> Outcome, IReadOnlyList<Exception> Failures)> SendUntilAnswered<T>(
        Func<Task<Outcome<T>>> send, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var failures = new List<Exception>();
        while (true)
        {
            try
            {
                return (await send(), failures);
            }
            catch (Exception e)
            {
                failures.Add(e);
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException(
                        $"Timed out after {timeout} waiting for {what} to be answered; last error: {e.Message}", e);
                await Task.Delay(100);
            }
        }
    }
}
