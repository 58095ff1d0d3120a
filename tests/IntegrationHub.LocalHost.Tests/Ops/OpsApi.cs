using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.Ops;

/// <summary>The ops routes as an operator (or the console) calls them, over HTTP to the local host, with the ops key by default.</summary>
public sealed class OpsApi(HubApi api)
{
    public static string Escape(string instanceId) => Uri.EscapeDataString(instanceId);

    public Task<HubAnswer> DetailAsync(string instanceId, string? key = Keys.Ops) => api.GetAsync($"/api/ops/instances/{Escape(instanceId)}", key);

    /// <summary>The detail of an instance that must exist.</summary>
    public async Task<JsonElement> InstanceAsync(string instanceId)
    {
        var answer = await DetailAsync(instanceId);
        Assert.True(answer.Status == 200, $"GET /api/ops/instances/{instanceId} should answer 200; got {answer}");
        return answer.Json;
    }

    public Task<HubAnswer> ActAsync(string instanceId, string action, string? key = Keys.Ops, object? body = null) =>
        api.SendAsync(HttpMethod.Post, $"/api/ops/instances/{Escape(instanceId)}/{action}", key,
            body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body));

    public Task<HubAnswer> PurgeAsync(string instanceId, string? key = Keys.Ops) =>
        api.SendAsync(HttpMethod.Delete, $"/api/ops/instances/{Escape(instanceId)}", key);

    public Task<HubAnswer> ReplayFailedAsync(DateTimeOffset since, string name, string? key = Keys.Ops) =>
        api.SendAsync(HttpMethod.Post,
            $"/api/ops/replay-failed?since={Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture))}&name={name}",
            key);

    public Task<HubAnswer> ReprocessAsync(string feedId, string? key = Keys.Ops) =>
        api.SendAsync(HttpMethod.Post, $"/api/ops/feeds/{Uri.EscapeDataString(feedId)}/reprocess", key);

    public Task<HubAnswer> ListAsync(string query, string? key = Keys.Ops) => api.GetAsync($"/api/ops/instances{query}", key);

    /// <summary>Every audit entry about <paramref name="target"/>, newest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> AuditOfAsync(string target)
    {
        var answer = await api.GetAsync("/api/ops/audit?limit=1000", Keys.Ops);
        Assert.True(answer.Status == 200, $"GET /api/ops/audit should answer 200; got {answer}");
        return [.. answer.Json.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("target").GetString() == target)];
    }

    /// <summary>Waits until the instance has the status (Suspended, Running, …) and returns its detail.</summary>
    public Task<JsonElement> WaitForStatusAsync(string instanceId, string status) =>
        api.EventuallyAsync($"{instanceId} to be {status}", async () =>
        {
            var answer = await DetailAsync(instanceId);
            var now = answer.Status == 200 ? answer.Json.GetProperty("status").GetString() : answer.ToString();
            return (now == status, answer.Status == 200 ? answer.Json : default, $"{now}");
        });

    /// <summary>How many events of this type (and activity name) the instance's history holds.</summary>
    public static int CountEvents(JsonElement detail, string type, string? name = null) =>
        detail.GetProperty("history").EnumerateArray().Count(e => e.GetProperty("type").GetString() == type
            && (name is null || e.GetProperty("name").GetString() == name));

    public static string Describe(JsonElement detail)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{detail.GetProperty("instanceId").GetString()} {detail.GetProperty("status").GetString()} failure={detail.GetProperty("failure")}");
        text.AppendLine();
        foreach (var e in detail.GetProperty("history").EnumerateArray())
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {e.GetProperty("eventId")} {e.GetProperty("type").GetString()} {e.GetProperty("name")} {
                    e.GetProperty("taskScheduledId")} {e.GetProperty("detail")}");
        }

        return text.ToString();
    }
}

/// <summary>
/// Makes a feed's NormaliseFeed step fail the way storage trouble would: its normalised blob is taken under an infinite
/// lease before the feed arrives, so the activity's overwrite is refused (412, lease id missing) until the lease is broken.
/// </summary>
public sealed class LedgerLease(BlobBaseClient blob, string leaseId)
{
    /// <summary>
    /// Holds a lease on the ledger of the feed's year, so recording the feed fails (storage trouble as ops meet it)
    /// until the lease is released. A ledger that is not there yet is created empty, as its first feed would.
    /// </summary>
    public static async Task<LedgerLease> HoldAsync(BlobServiceClient blobs, SampleFeed feed)
    {
        var year = feed.Period[..4];
        var log = blobs.GetBlobContainerClient("ledger").GetAppendBlobClient($"log/{year}/0000.jsonl");
        await log.CreateIfNotExistsAsync();
        var lease = await log.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(-1));
        return new LedgerLease(log, lease.Value.LeaseId);
    }

    public Task ReleaseAsync() => blob.GetBlobLeaseClient(leaseId).ReleaseAsync();
}
