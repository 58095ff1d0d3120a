using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.Access;

/// <summary>
/// <c>POST /api/feeds/{source}/validate</c> end to end (README, "Checking a feed against the hub"): the report a push
/// would give, with a push's admission, budget and limits, while nothing is landed, quarantined, recorded or started,
/// and the audit line says <c>validate</c>.
/// </summary>
public sealed class ValidateEndToEndTests(AccessHub hub) : IClassFixture<AccessHub>
{
    private static readonly string[] FeedContainers = ["landing", "normalized", "quarantine", "ledger"];

    private HubApi Api => hub.Api;

    [Fact]
    public async Task Validate_ValidFeed_200Report_NothingLandsNothingInTheLedgerNoRun_AuditedAsValidate_APushAfterIsNew()
    {
        var feed = SampleFeed.Load("transport-2024-09-r0.json");
        var hash = Convert.ToHexStringLower(SHA256.HashData(feed.Bytes));
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        var answer = await ValidateAsync(feed.Source, feed.Bytes, Keys.Transport);

        Assert.True(answer.Status == 200, $"A valid feed should be 200; got {answer}");
        Assert.Equal("application/json", answer.MediaType);
        var report = answer.Json;
        Assert.True(report.GetProperty("valid").GetBoolean());
        Assert.Equal("Valid", report.GetProperty("verdict").GetString());
        Assert.Equal(feed.FeedId, report.GetProperty("feedId").GetString());
        Assert.Equal(
            ("transport", "2024-09", 0),
            (report.GetProperty("source").GetString(), report.GetProperty("period").GetString(), report.GetProperty("revision").GetInt32()));
        Assert.Empty(report.GetProperty("errors").EnumerateArray());
        Assert.Equal(JsonValueKind.Array, report.GetProperty("warnings").ValueKind);

        await AssertNothingStoredAsync(feed.FeedId, hash);
        var audit = await AuditSinceAsync(since);
        Assert.Equal(["transport primary validate valid 200"], Lines(audit, feed.FeedId));

        // The control: the same bytes pushed now are new to the hub (202, not a 200 duplicate) and do land.
        var pushed = await Api.PushAsync(feed.Source, feed.Bytes);
        Assert.True(pushed.Status == 202, $"A push after a validation should be new; got {pushed}");
        Assert.True(await Container("landing").GetBlobClient($"transport/{hash}.json").ExistsAsync());
    }

    [Fact]
    public async Task Validate_InvalidFeed_400WithThePushsReport_NothingQuarantinedOrLanded_AuditedAsValidateInvalid()
    {
        var feed = SampleFeed.Load(Path.Combine("invalid", "good-days-exceed-days.json"));
        var hash = Convert.ToHexStringLower(SHA256.HashData(feed.Bytes));
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        var answer = await ValidateAsync(feed.Source, feed.Bytes, Keys.Environment);

        Assert.True(answer.Status == 400, $"An invalid feed should be 400; got {answer}");
        Assert.Equal("application/problem+json", answer.MediaType);
        var problem = answer.Json;
        Assert.Equal(feed.FeedId, problem.GetProperty("feedId").GetString());
        Assert.False(problem.TryGetProperty("statusUrl", out _), "Nothing was stored: there is no status to follow.");
        Assert.Contains("nothing was stored", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The sample's .expected.json: one error, goodDays of the second record, rule:good-days-le-days.
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(
            ("/records/1/airQuality/goodDays", "rule:good-days-le-days"),
            (error.GetProperty("instanceLocation").GetString(), error.GetProperty("keyword").GetString()));

        await AssertNothingStoredAsync(feed.FeedId, hash);
        Assert.Equal(["environment primary validate invalid 400"], Lines(await AuditSinceAsync(since), feed.FeedId));

        // A push of the same bytes reports exactly the same errors and warnings (and quarantines the feed).
        var pushed = await Api.PushAsync(feed.Source, feed.Bytes);
        Assert.Equal(400, pushed.Status);
        Assert.Equal(pushed.Json.GetProperty("errors").GetRawText(), problem.GetProperty("errors").GetRawText());
        Assert.Equal(pushed.Json.GetProperty("warnings").GetRawText(), problem.GetProperty("warnings").GetRawText());
    }

    [Fact]
    public async Task Validate_HasAPushsAdmission_SourceKeyMediaTypeAndSize_EachRefusalToAKeyHolderAuditedAsValidate()
    {
        var feed = SampleFeed.Load("power-grid-2024-09-r0.json");
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        Assert.Equal(404, (await ValidateAsync("weather", feed.Bytes, Keys.PowerGrid)).Status);
        Assert.Equal(401, (await ValidateAsync("power-grid", feed.Bytes, key: null)).Status);
        Assert.Equal(403, (await ValidateAsync("power-grid", feed.Bytes, Keys.Ops)).Status);
        var wrongType = await ValidateAsync("power-grid", feed.Bytes, Keys.PowerGrid, contentType: "text/csv");
        Assert.Equal(415, wrongType.Status);
        Assert.Equal("Content-Type", wrongType.Json.GetProperty("parameter").GetString());
        Assert.Equal(413, (await ValidateAsync("power-grid", new byte[AccessHub.MaxFeedBytes + 1], Keys.PowerGrid)).Status);

        // No key: counted, never audited (as for a push). Every other refusal is the key holder's line, action validate.
        var audit = await AuditSinceAsync(since);
        Assert.Equal(
            ["ops primary validate refused 403", "power-grid primary validate too-large 413", "power-grid primary validate unsupported-media-type 415"],
            Lines(audit, "feeds/power-grid").Order(StringComparer.Ordinal));
        Assert.Equal(["power-grid primary validate not-found 404"], Lines(audit, "feeds/weather"));
        Assert.DoesNotContain(audit, e => e.GetProperty("actor").GetString() == "anonymous");
    }

    [Fact]
    public async Task Validate_DrawsOnTheDepartmentsPushBudget()
    {
        var feed = SampleFeed.Load("statistics-2024-Q3-r0.json");
        try
        {
            hub.Reconfigure(("Access:RateLimit:PushPermitsPerMinute", "2"));
            Assert.Equal(200, (await ValidateAsync(feed.Source, feed.Bytes, Keys.Statistics)).Status);
            Assert.Equal(200, (await ValidateAsync(feed.Source, feed.Bytes, Keys.Statistics)).Status);

            // Two validations spent the minute's two permits: a push is refused, and so is a third validation.
            var push = await Api.PushAsync(feed.Source, feed.Bytes);
            var third = await ValidateAsync(feed.Source, feed.Bytes, Keys.Statistics);
            Assert.True(push.Status == 429 && push.RetryAfter is not null, $"The push should be over the budget; got {push}");
            Assert.True(third.Status == 429 && third.RetryAfter is not null, $"The validation should be over the budget; got {third}");
        }
        finally
        {
            hub.Reconfigure(("Access:RateLimit:PushPermitsPerMinute", "100000"));
        }
    }

    private async Task AssertNothingStoredAsync(string feedId, string hash)
    {
        foreach (var name in FeedContainers)
        {
            var container = Container(name);
            if (!await container.ExistsAsync())
            {
                continue;
            }

            await foreach (var blob in container.GetBlobsAsync())
            {
                Assert.DoesNotContain(hash, blob.Name, StringComparison.Ordinal);
                Assert.DoesNotContain(feedId, blob.Name, StringComparison.Ordinal);
                if (name == "ledger")
                {
                    var content = (await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
                    Assert.DoesNotContain(hash, content, StringComparison.Ordinal);
                }
            }
        }

        var source = Keys.SourceOf(feedId);
        var runs = await Api.InstancesAsync($"feed:{source}:");
        Assert.DoesNotContain(runs, r => r.InstanceId.EndsWith(":" + hash[..16], StringComparison.Ordinal));
    }

    private BlobContainerClient Container(string name) => hub.Azurite.Blobs.GetBlobContainerClient(name);

    private async Task<HubAnswer> ValidateAsync(string source, byte[] body, string? key, string contentType = "application/json")
    {
        using var http = new HttpClient { BaseAddress = Api.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/feeds/{source}/validate") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (key is not null)
        {
            request.Headers.Add(Keys.Header, key);
        }

        using var response = await http.SendAsync(request);
        return new HubAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), null,
            response.Headers.TryGetValues("Retry-After", out var retryAfter) ? string.Join(",", retryAfter) : null);
    }

    /// <summary>The audit lines about <paramref name="target"/>: actor, key slot, action, outcome and status.</summary>
    private static List<string> Lines(IEnumerable<JsonElement> entries, string target) =>
    [
        .. entries.Where(e => e.GetProperty("target").GetString() == target)
            .Select(e => string.Join(' ', new[] { "actor", "keySlot", "action", "outcome" }.Select(p => e.GetProperty(p).GetString()))
                + " " + e.GetProperty("status").GetInt32().ToString(CultureInfo.InvariantCulture)),
    ];

    private async Task<IReadOnlyList<JsonElement>> AuditSinceAsync(DateTimeOffset since)
    {
        var answer = await Api.GetAsync($"/api/ops/audit?limit=1000&since={Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture))}", Keys.Ops);
        Assert.True(answer.Status == 200, $"GET /api/ops/audit should answer 200; got {answer}");
        return [.. answer.Json.GetProperty("entries").EnumerateArray()];
    }
}
