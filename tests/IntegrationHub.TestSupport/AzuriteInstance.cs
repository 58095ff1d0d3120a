using System.Globalization;
using System.Net.Sockets;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace IntegrationHub.TestSupport;

/// <summary>
/// The tests' one Azurite (npm package in local-dev/), fresh and on free ports: every test run starts its own,
/// whatever a script may have started, so no task hub, ledger or queue is left over from another run. In memory by
/// default; on disk (a temporary folder of its own) for the fault tests, which stop it and start it again on the same
/// ports and data, as a storage outage would look to the hub.
/// </summary>
public sealed class AzuriteInstance : IDisposable
{
    // Azurite's documented development account key: public by design, valid only against the emulator.
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly IReadOnlyList<string> arguments;
    private readonly int tablePort;
    private readonly string? location;
    private ChildProcess? process;

    private AzuriteInstance(IReadOnlyList<string> arguments, int blobPort, int queuePort, int tablePort, string? location)
    {
        this.arguments = arguments;
        this.tablePort = tablePort;
        QueuePort = queuePort;
        this.location = location;
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + DevAccountKey
            + $";BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;"
            + $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    public int QueuePort { get; }

    /// <summary>The connection string with the queue service reached through another port (a TCP gate in front of it).</summary>
    public string ConnectionStringWithQueuePort(int port) =>
        ConnectionString.Replace(
            $"QueueEndpoint=http://127.0.0.1:{Text(QueuePort)}/", $"QueueEndpoint=http://127.0.0.1:{Text(port)}/", StringComparison.Ordinal);

    public BlobServiceClient Blobs => new(ConnectionString);

    /// <summary>Queues with Base64 message bodies: what the hub's queue publisher writes.</summary>
    public QueueServiceClient Queues => new(ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    public string Tail => process?.Tail ?? "";

    /// <summary>False between <see cref="StopAsync"/> and <see cref="RestartAsync"/>.</summary>
    public bool IsRunning => process is { HasExited: false };

    /// <param name="onDisk">Keep the data in a temporary folder (deleted on dispose), so that <see cref="StopAsync"/>
    /// and <see cref="RestartAsync"/> keep it.</param>
    public static async Task<AzuriteInstance> StartAsync(bool onDisk = false)
    {
        var root = RepoPaths.Root;
        var script = Path.Combine(root, "local-dev", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed: run 'npm ci --prefix local-dev' once. Looked for {script}.");
        }

        var ports = Ports.Free(3);
        var (blob, queue, table) = (ports[0], ports[1], ports[2]);
        var location = onDisk ? Directory.CreateTempSubdirectory("hub-azurite-").FullName : null;
        List<string> arguments =
        [
            script, "--silent", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", Text(blob), "--queueHost", "127.0.0.1", "--queuePort", Text(queue),
            "--tableHost", "127.0.0.1", "--tablePort", Text(table),
            .. (location is null ? new[] { "--inMemoryPersistence" } : new[] { "--location", location }),
        ];

        var azurite = new AzuriteInstance(arguments, blob, queue, table, location);
        try
        {
            await azurite.StartProcessAsync();
            return azurite;
        }
        catch
        {
            azurite.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stops Azurite as an orderly shutdown does (SIGTERM: it closes its servers and saves its data), so that what it
    /// acknowledged survives, as it would in a real storage service; the ports are refused until <see cref="RestartAsync"/>.
    /// </summary>
    public async Task StopAsync()
    {
        if (location is null)
        {
            throw new InvalidOperationException("An in-memory Azurite loses its data when stopped: start it with onDisk: true.");
        }

        var running = process ?? throw new InvalidOperationException("Azurite is not running.");
        process = null;
        try
        {
            await running.StopAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            running.Dispose();
        }
    }

    /// <summary>Starts Azurite again on the same ports and data, and waits until it serves.</summary>
    public Task RestartAsync() => process is null ? StartProcessAsync() : throw new InvalidOperationException("Azurite is running already.");

    public void Dispose()
    {
        process?.Dispose();
        process = null;
        if (location is not null)
        {
            try
            {
                Directory.Delete(location, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless.
            }
        }
    }

    private async Task StartProcessAsync()
    {
        var started = ChildProcess.Start("azurite", "node", arguments, RepoPaths.Root);
        process = started;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try
                {
                    // The table service starts last; its port answering first keeps the SDK clients' own retry waits out of the probe.
                    using (var tableProbe = new TcpClient())
                    {
                        await tableProbe.ConnectAsync("127.0.0.1", tablePort);
                    }

                    await Blobs.GetPropertiesAsync();
                    await Queues.GetPropertiesAsync();
                    return;
                }
                catch (Exception) when (DateTime.UtcNow < deadline && !started.HasExited)
                {
                    await Task.Delay(200);
                }
            }
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"Azurite did not come up: {ex.Message}{Environment.NewLine}{started.Tail}", ex);
        }
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
