using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace IntegrationHub.LocalHost.Tests.Support;

/// <summary>
/// A TCP forwarder in front of one endpoint (an Azurite service), which a test can shut, refusing new connections and
/// cutting open ones, and open again on the same port: that one endpoint unreachable from the hub, and back, at once.
/// A stopped emulator takes seconds to start again; this keeps a fault test's timing in its own hands.
/// </summary>
public sealed class TcpGate : IDisposable
{
    private readonly IPEndPoint target;
    private readonly ConcurrentDictionary<TcpClient, TcpClient> pairs = new();
    private readonly Lock sync = new();
    private TcpListener? listener;
    private CancellationTokenSource? running;

    private TcpGate(int port, IPEndPoint target)
    {
        Port = port;
        this.target = target;
    }

    /// <summary>The port the hub is given instead of the target's.</summary>
    public int Port { get; }

    public bool IsOpen => listener is not null;

    /// <summary>An open gate on a free port, forwarding to <paramref name="targetPort"/> on the loopback address.</summary>
    public static TcpGate OpenTo(int targetPort)
    {
        var gate = new TcpGate(Ports.Free(), new IPEndPoint(IPAddress.Loopback, targetPort));
        gate.Open();
        return gate;
    }

    public void Open()
    {
        lock (sync)
        {
            if (listener is not null)
            {
                return;
            }

            var listening = new TcpListener(IPAddress.Loopback, Port);
            listening.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listening.Start();
            running = new CancellationTokenSource();
            listener = listening;
            _ = AcceptAsync(listening, running.Token);
        }
    }

    /// <summary>From now on connections are refused, and the open ones are reset.</summary>
    public void Shut()
    {
        lock (sync)
        {
            running?.Cancel();
            running?.Dispose();
            running = null;
            listener?.Stop();
            listener = null;
        }

        foreach (var (client, upstream) in pairs)
        {
            Reset(client);
            Reset(upstream);
        }

        pairs.Clear();
    }

    public void Dispose() => Shut();

    private static void Reset(TcpClient connection)
    {
        try
        {
            // Linger 0: the peer gets a reset, as from a service that went away, not an orderly end of stream.
            if (connection.Client is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0);
            }

            connection.Close();
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }
    }

    private async Task AcceptAsync(TcpListener listening, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listening.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ForwardAsync(client, cancellationToken);
        }
    }

    private async Task ForwardAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(target, cancellationToken);
            pairs[client] = upstream;
            var inbound = client.GetStream().CopyToAsync(upstream.GetStream(), cancellationToken);
            var outbound = upstream.GetStream().CopyToAsync(client.GetStream(), cancellationToken);
            await Task.WhenAny(inbound, outbound);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Shut, or one side closed: both are closed below.
        }
        finally
        {
            pairs.TryRemove(client, out _);
            client.Dispose();
            upstream.Dispose();
        }
    }
}
