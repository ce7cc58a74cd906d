using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BpClub.Silo;

/// <summary>
/// The bound behind the graceful stop: a silo asked to stop exits at most <see cref="Slack"/> after
/// Silo:ShutdownTimeout, whatever hangs. Leaving the cluster writes to the membership table, and with
/// PostgreSQL gone those writes retry past the host's timeout; Kubernetes would SIGKILL the pod anyway,
/// and a local run must not leave a silo behind. Everything acknowledged is already in the ledger.
/// </summary>
internal sealed class ShutdownDeadline(IHostApplicationLifetime lifetime, IOptions<HostOptions> options)
    : IHostedService
{
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var budget = options.Value.ShutdownTimeout + Slack;
        // A thread of its own: the thread pool may be what is stuck.
        lifetime.ApplicationStopping.Register(() => new Thread(() => ExitAfter(budget))
        {
            IsBackground = true,
            Name = "shutdown-deadline",
        }.Start());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void ExitAfter(TimeSpan budget)
    {
        Thread.Sleep(budget);
        // Straight to stderr: the logger's queue may never be drained.
        Console.Error.WriteLine(
            $"BpClub.Silo: the graceful stop took longer than {budget.TotalSeconds:0} s; exiting now.");
        Console.Error.Flush();
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) ExitImmediately(1);
        Environment.FailFast("The graceful stop did not finish within its budget.");
    }

    /// <summary>_exit(2): no exit handlers, which would wait for the very stop that hangs.</summary>
    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitImmediately(int status);
}
