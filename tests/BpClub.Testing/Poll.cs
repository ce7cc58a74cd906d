namespace BpClub.Testing;

/// <summary>Waits for a condition by polling with a deadline: tests never sleep for a fixed time.</summary>
public static class Poll
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline) throw new TimeoutException(
                $"Timed out after {timeout} waiting for {what}; last value: {last}");
            await Task.Delay(100);
        }
    }
}
