using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The practical ceiling of the storage the hub runs on: conditional 10 KB blob creates (a landing write) and queue
/// messages (what the Durable engine sends per step) per second at the concurrency the drain harness pushes with.
/// local-dev/perf/drain.sh runs it against the same Azurite as the hub, so the hub's throughput reads as a ratio of it.
/// Not a BenchmarkDotNet benchmark: it measures a server, not code, and runs once, for seconds.
/// </summary>
internal static class StorageCeiling
{
    public static async Task<int> RunAsync(string connectionString, int operations, int clients)
    {
        var container = new BlobServiceClient(connectionString).GetBlobContainerClient("ceiling-" + Guid.NewGuid().ToString("N")[..8]);
        await container.CreateAsync();
        var queue = new QueueServiceClient(connectionString).GetQueueClient(container.Name);
        await queue.CreateAsync();
        var body = BinaryData.FromBytes(new byte[10 * 1024]);
        try
        {
            var blobsPerSecond = await RateAsync(operations, clients, i => container.GetBlobClient($"b{i}.json").UploadAsync(
                body, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }));
            var messagesPerSecond = await RateAsync(operations, clients, i => queue.SendMessageAsync($"message {i}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"storageCeiling\":{{\"blobCreatesPerSecond\":{blobsPerSecond:0},\"queueSendsPerSecond\":{messagesPerSecond:0},"
                + $"\"operations\":{operations},\"clients\":{clients}}}}}"));
            return 0;
        }
        finally
        {
            await container.DeleteIfExistsAsync();
            await queue.DeleteIfExistsAsync();
        }
    }

    private static async Task<double> RateAsync(int operations, int clients, Func<int, Task> operation)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < operations)
            {
                await operation(i);
            }
        }));
        return operations / clock.Elapsed.TotalSeconds;
    }
}
