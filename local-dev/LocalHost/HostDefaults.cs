using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.LocalHost;

/// <summary>What the hub's web host and the Durable sidecar share: a free loopback port and the same quiet console log.</summary>
public static class HostDefaults
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>One line per entry; the frameworks' and SDKs' chatter only from warnings up, so the hub's own lines stand out.</summary>
    public static ILoggingBuilder AddQuietConsole(this ILoggingBuilder logging) =>
        logging.ClearProviders().AddSimpleConsole(console => console.SingleLine = true)
            .AddFilter("DurableTask", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Azure", LogLevel.Warning)
            .AddFilter("Azure.Core", LogLevel.Error).AddFilter("System.Net.Http", LogLevel.Warning).AddFilter("Grpc", LogLevel.Warning);
}
