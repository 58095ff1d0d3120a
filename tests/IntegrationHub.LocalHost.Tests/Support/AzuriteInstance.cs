using System.Globalization;
using System.Net.Sockets;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace IntegrationHub.LocalHost.Tests.Support;

/// <summary>
/// A fresh Azurite of our own (npm package in local-dev/), in memory, on free ports. The end-to-end tests always
/// start one, whatever a script may have started, because they need an empty account: no leftover task hub, ledger
/// or subscriber queue from another run.
/// </summary>
public sealed class AzuriteInstance : IDisposable
{
    // Azurite's documented development account key: public by design, valid only against the emulator.
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ChildProcess process;

    private AzuriteInstance(ChildProcess process, string connectionString)
    {
        this.process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public BlobServiceClient Blobs => new(ConnectionString);

    /// <summary>Queues with Base64 message bodies: what the hub's queue publisher writes.</summary>
    public QueueServiceClient Queues => new(ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    public string Tail => process.Tail;

    public static async Task<AzuriteInstance> StartAsync()
    {
        var root = RepoPaths.Root;
        var script = Path.Combine(root, "local-dev", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed: run 'npm ci --prefix local-dev' once. Looked for {script}.");
        }

        var (blob, queue, table) = (Ports.Free(), Ports.Free(), Ports.Free());
        var process = ChildProcess.Start("azurite", "node",
        [
            script, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
            "--blobHost", "127.0.0.1", "--blobPort", Text(blob), "--queueHost", "127.0.0.1", "--queuePort", Text(queue),
            "--tableHost", "127.0.0.1", "--tablePort", Text(table),
        ], root);

        var connectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + DevAccountKey
            + $";BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
        var azurite = new AzuriteInstance(process, connectionString);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    await azurite.Blobs.GetPropertiesAsync();
                    await azurite.Queues.GetPropertiesAsync();
                    using var tableProbe = new TcpClient();
                    await tableProbe.ConnectAsync("127.0.0.1", table);
                    return azurite;
                }
                catch (Exception) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(200);
                }
            }
        }
        catch (Exception ex)
        {
            var tail = process.Tail;
            azurite.Dispose();
            throw new InvalidOperationException($"Azurite did not come up: {ex.Message}{Environment.NewLine}{tail}", ex);
        }
    }

    public void Dispose() => process.Dispose();

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
