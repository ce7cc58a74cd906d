using System.Text;
using System.Text.Json;

namespace BpClub.Grains.Sms;

/// <summary>
/// The development SMS gateway: appends each message to a JSON-lines file that people and tests
/// read. Several silo processes may share the file, so each message is one append of one line.
/// </summary>
public sealed class OutboxSmsSender(IOptions<SmsOptions> options, TimeProvider time) : ISmsSender
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task Send(PhoneNumber to, string text, CancellationToken cancellationToken = default)
    {
        var line = JsonSerializer.Serialize(new { to = to.Value, text, at = time.GetUtcNow() }) + "\n";
        var bytes = Encoding.UTF8.GetBytes(line);
        var path = Path.GetFullPath(options.Value.OutboxPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            await file.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
