using System.Net;
using System.Net.Sockets;

namespace BpClub.Cluster.Tests;

/// <summary>
/// HTTP clients whose connections leave from a loopback address of the test's choice (127.0.0.2, 127.0.0.7, …:
/// on Linux the whole of 127.0.0.0/8 is this machine), so that a server sees them as different hosts. They keep
/// no cookies and follow no redirects: the test reads every Set-Cookie and Location itself, as it is sent.
/// </summary>
public static class LoopbackClients
{
    public static HttpClient From(IPAddress source, Uri baseAddress) =>
        new(Handler(source)) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public static SocketsHttpHandler Handler(IPAddress source) => new()
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            {
                NoDelay = true,
            };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
