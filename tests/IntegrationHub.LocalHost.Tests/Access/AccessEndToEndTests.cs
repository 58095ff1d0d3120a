using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Intake;
using IntegrationHub.LocalHost.Tests.Ops;
using IntegrationHub.LocalHost.Tests.Support;
using Microsoft.AspNetCore.Http;
using IntegrationHub.Functions.Access;

namespace IntegrationHub.LocalHost.Tests.Access;

/// <summary>
/// The access rules end to end, over HTTP to the local host on Azurite: keys given by their hash and rotated while
/// the hub runs, per-principal rate limits, the audit log of every key holder's push, no key text in logs or answers, the pull's
/// network rules (private addresses, metadata, redirects) and the security headers of API answers. Settings are
/// changed at run time through the fixture's reloadable configuration and put back by each test.
/// </summary>
public sealed class AccessEndToEndTests(AccessHub hub) : IClassFixture<AccessHub>
{
    private HubApi Api => hub.Api;

    private OpsApi Ops => new(hub.Api);

    [Fact]
    public async Task RotateKey_NewKeyAddedAsHashThenOldRemoved_BothWorkDuringRotationAndOldIsRefusedAfter_WithoutRestart()
    {
        const string newKey = "rotated-transport-key-7f3a";
        var hubBefore = hub.Hub;
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        try
        {
            Assert.Equal(400, (await PushProbeAsync("transport", Keys.Transport)).Status);
            Assert.Equal(401, (await PushProbeAsync("transport", newKey)).Status);

            // Rotation, step 1: the new key goes into the free slot, as its hash; both keys work.
            hub.Reconfigure(("Access:Transport:Secondary", AccessOptions.HashOf(newKey)));
            var withNew = await PushProbeAsync("transport", newKey);
            var withOld = await PushProbeAsync("transport", Keys.Transport);
            Assert.True(withNew.Status == 400, $"The new key should be accepted (the probe is an invalid feed: 400); got {withNew}");
            Assert.True(withOld.Status == 400, $"The old key should still be accepted during the rotation; got {withOld}");

            // Step 2: the old slot is overwritten; the old key is refused at once, the new one works.
            hub.Reconfigure(("Access:Transport:Primary", AccessOptions.HashOf(newKey)), ("Access:Transport:Secondary", null));
            var oldAfter = await PushProbeAsync("transport", Keys.Transport);
            var newAfter = await PushProbeAsync("transport", newKey);
            Assert.True(oldAfter.Status == 401 && oldAfter.MediaType == "application/problem+json", $"The removed key should be refused; got {oldAfter}");
            Assert.True(newAfter.Status == 400, $"The new key should work from its new slot; got {newAfter}");
            Assert.Same(hubBefore, hub.Hub);

            // The audit log tells the slots apart: that is how ops see a department has switched.
            var slots = (await AuditSinceAsync(since))
                .Where(e => e.GetProperty("action").GetString() == "push" && e.GetProperty("actor").GetString() == "transport")
                .Select(e => e.GetProperty("keySlot").GetString()).ToList();
            Assert.Contains("secondary", slots);
            Assert.Contains("primary", slots);
        }
        finally
        {
            hub.Reconfigure(("Access:Transport:Primary", Keys.Transport), ("Access:Transport:Secondary", null));
        }

        Assert.Equal(400, (await PushProbeAsync("transport", Keys.Transport)).Status);
    }

    [Fact]
    public async Task PushRateLimit_DepartmentOverItsBudget_429WithRetryAfterAndAudited_OtherDepartmentsUnaffected()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        try
        {
            hub.Reconfigure(("Access:RateLimit:PushPermitsPerMinute", "2"));
            Assert.Equal(400, (await PushProbeAsync("environment", Keys.Environment)).Status);
            Assert.Equal(400, (await PushProbeAsync("environment", Keys.Environment)).Status);

            using var limited = await SendAsync(HttpMethod.Post, "/api/feeds/environment", Keys.Environment, Probe("environment"));
            var body = await limited.Content.ReadAsStringAsync();
            Assert.True(
                limited.StatusCode == HttpStatusCode.TooManyRequests, $"The third push in a minute should be refused; got {(int)limited.StatusCode} {body}");
            Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
            var retryAfter = limited.Headers.RetryAfter?.Delta;
            Assert.True(retryAfter is { } wait && wait >= TimeSpan.FromSeconds(1) && wait <= TimeSpan.FromSeconds(30),
                $"Retry-After should be the time until the next permit (at most 30 s at 2 a minute); got {limited.Headers.RetryAfter}");
            Assert.Equal((int)retryAfter!.Value.TotalSeconds, JsonDocument.Parse(body).RootElement.GetProperty("retryAfter").GetInt32());

            // Budgets are per department.
            Assert.Equal(400, (await PushProbeAsync("power-grid", Keys.PowerGrid)).Status);

            var refused = (await AuditSinceAsync(since))
                .Where(e => e.GetProperty("action").GetString() == "push" && e.GetProperty("status").GetInt32() == 429).ToList();
            var entry = Assert.Single(refused);
            Assert.Equal("environment", entry.GetProperty("actor").GetString());
            Assert.Equal("feeds/environment", entry.GetProperty("target").GetString());
            Assert.Equal("rate-limited", entry.GetProperty("outcome").GetString());
        }
        finally
        {
            hub.Reconfigure(("Access:RateLimit:PushPermitsPerMinute", "100000"));
        }

        Assert.Equal(400, (await PushProbeAsync("environment", Keys.Environment)).Status);
    }

    [Fact]
    public async Task OpsRateLimit_OpsKeyOverItsBudget_429WithRetryAfter()
    {
        try
        {
            hub.Reconfigure(("Access:RateLimit:OpsPermitsPerMinute", "2"));
            Assert.Equal(200, (await Api.GetAsync("/api/ops/quarantine", Keys.Ops)).Status);
            Assert.Equal(200, (await Api.GetAsync("/api/ops/quarantine", Keys.Ops)).Status);

            using var limited = await SendAsync(HttpMethod.Get, "/api/ops/quarantine", Keys.Ops);
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
            Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");

            // The pull route is ops too, and shares the ops budget.
            Assert.Equal(429, (await Api.StartPullAsync("transport", "2099-12")).Status);
        }
        finally
        {
            hub.Reconfigure(("Access:RateLimit:OpsPermitsPerMinute", "100000"));
        }

        Assert.Equal(200, (await Api.GetAsync("/api/ops/quarantine", Keys.Ops)).Status);
    }

    [Fact]
    public async Task Push_EveryKindOfAnswerToAKeyHolder_IsInTheAuditLogWithTheCallersIdentity_NoAnonymousLine()
    {
        var valid = SampleFeed.Load("environment-2024-03-r0.json");
        var invalid = SampleFeed.Load(Path.Combine("invalid", "good-days-exceed-days.json"));
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        Assert.Equal(202, (await Api.PushAsync("environment", valid.Bytes)).Status);
        Assert.Equal(200, (await Api.PushAsync("environment", valid.Bytes)).Status);
        var rejected = await Api.PushAsync(invalid.Source, invalid.Bytes);
        Assert.Equal(400, rejected.Status);
        Assert.Equal(401, (await Api.PushAsync("environment", valid.Bytes, key: "nobodys-key")).Status);
        Assert.Equal(401, (await Api.SendAsync(HttpMethod.Post, "/api/feeds/environment", key: null, valid.Bytes)).Status);
        Assert.Equal(403, (await Api.PushAsync("environment", valid.Bytes, key: Keys.Statistics)).Status);
        Assert.Equal(413, (await Api.PushAsync("environment", new byte[AccessHub.MaxFeedBytes + 1])).Status);

        var entries = (await AuditSinceAsync(since)).Where(e => e.GetProperty("action").GetString() == "push").ToList();
        string Line(JsonElement e) => string.Join(' ', new[] { "actor", "keySlot", "target", "outcome" }.Select(p => e.GetProperty(p).GetString()))
            + " " + e.GetProperty("status").GetInt32();
        var lines = entries.Select(Line).ToList();
        var all = string.Join(Environment.NewLine, lines);
        Assert.True(lines.Contains($"environment primary {valid.FeedId} accepted 202"), all);
        Assert.True(lines.Contains($"environment primary {valid.FeedId} duplicate 200"), all);
        Assert.True(lines.Contains($"{invalid.Source} primary {rejected.Json.GetProperty("feedId").GetString()} rejected 400"), all);
        // Refusals without a valid key are counted in telemetry, not audited: anyone could fill the log with them.
        Assert.True(!lines.Any(l => l.StartsWith("anonymous ", StringComparison.Ordinal)), all);
        Assert.True(lines.Contains("statistics primary feeds/environment refused 403"), all);
        Assert.True(lines.Contains("environment primary feeds/environment too-large 413"), all);
    }

    [Fact]
    public async Task Keys_WrongOrForeignKeyAndAPull_NeverAppearInLogsAnswersOrTheAuditLog()
    {
        var wrongKey = "wrong-key-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secrets = new[] { wrongKey, Keys.Statistics, Keys.Transport, Keys.Ops, "sim-transport-key" };
        var answers = new StringBuilder();
        IReadOnlyList<string> logged;
        using (hub.Scan.Record())
        {
            foreach (var (
                path, key) in new[] { ("/api/feeds/transport", wrongKey), ("/api/feeds/transport", Keys.Statistics), ("/api/feeds/transport", Keys.Transport) })
            {
                using var response = await SendAsync(HttpMethod.Post, path, key, Probe("transport"));
                answers.AppendLine(
                    CultureInfo.InvariantCulture,
                    $"{(int)response.StatusCode} {response.Headers} {response.Content.Headers} {await response.Content.ReadAsStringAsync()}");
            }

            using (var ops = await SendAsync(HttpMethod.Get, "/api/ops/instances/nothing-here", wrongKey))
            {
                answers.AppendLine(CultureInfo.InvariantCulture, $"{(int)ops.StatusCode} {ops.Headers} {await ops.Content.ReadAsStringAsync()}");
            }

            // A pull sends the department's key to the department: the hub's logs of that request must not show it.
            var pull = await Api.StartPullAcceptedAsync("transport", "2024-05");
            Assert.Equal("Completed", (await Api.WaitForInstanceAsync(pull)).Status);
            logged = hub.Scan.Entries;
        }

        answers.AppendLine((await Api.GetAsync("/api/ops/audit?limit=1000", Keys.Ops)).Body);
        Assert.True(logged.Count > 50, $"The scan should have seen the hub's logs at every level; it saw {logged.Count} entries.");
        Assert.Contains(logged, e => e.Contains("x-api-key", StringComparison.OrdinalIgnoreCase));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, answers.ToString(), StringComparison.Ordinal);
            var leaks = logged.Where(e => e.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, $"'{secret}' is in {leaks.Count} log entries, e.g. {leaks.FirstOrDefault()}");
        }
    }

    [Fact]
    public async Task Pull_TargetOnLoopbackWithoutAllowPrivateNetworks_RefusedOnceWithoutAnyRequest()
    {
        var simulatorPort = hub.Simulators.BaseUrl.Port;
        await hub.Simulators.ResetAsync();
        try
        {
            hub.Reconfigure(("Pull:AllowPrivateNetworks", "false"));

            // An address in the URL is refused before anything is sent.
            var byAddress = await PullRefusedAsync("2099-01");
            Assert.Contains("127.0.0.1", byAddress, StringComparison.Ordinal);
            Assert.Contains("Pull__AllowPrivateNetworks", byAddress, StringComparison.Ordinal);

            // A host name is refused when it resolves to a private address, on the address the connection would use.
            hub.Reconfigure(("Pull:Transport:BaseUrl", $"http://localhost:{simulatorPort}"));
            var byName = await PullRefusedAsync("2099-02");
            Assert.Contains("'localhost' is at", byName, StringComparison.Ordinal);
            Assert.Equal(0, (await hub.Simulators.CountersAsync("transport")).Total);
        }
        finally
        {
            hub.Reconfigure(("Pull:AllowPrivateNetworks", "true"), ("Pull:Transport:BaseUrl", hub.Simulators.BaseUrl.ToString()));
        }

        // Allowed again for local development: the same department answers.
        var pull = await Api.StartPullAcceptedAsync("transport", "2024-05");
        Assert.Equal("Completed", (await Api.WaitForInstanceAsync(pull)).Status);
    }

    [Fact]
    public async Task Pull_MetadataAddress_RefusedEvenWithPrivateNetworksAllowed()
    {
        try
        {
            hub.Reconfigure(
                ("Pull:AllowedHosts", "127.0.0.1,localhost,169.254.169.254"), ("Pull:Transport:BaseUrl", "http://169.254.169.254/latest/meta-data"));

            var why = await PullRefusedAsync("2099-03");

            Assert.Contains("169.254.169.254", why, StringComparison.Ordinal);
            Assert.Contains("link-local", why, StringComparison.Ordinal);
        }
        finally
        {
            hub.Reconfigure(("Pull:AllowedHosts", "127.0.0.1,localhost"), ("Pull:Transport:BaseUrl", hub.Simulators.BaseUrl.ToString()));
        }
    }

    [Fact]
    public async Task Pull_DepartmentRedirectsToAnotherHost_RefusedOnceAndTheTargetNeverAsked()
    {
        await using var elsewhere = await TinyServer.StartAsync(context => context.Response.WriteAsync("{}"));
        await using var redirecting = await TinyServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = $"http://localhost:{elsewhere.Port}/transport/feeds/2099-04";
            return Task.CompletedTask;
        });
        try
        {
            hub.Reconfigure(("Pull:Transport:BaseUrl", $"http://127.0.0.1:{redirecting.Port}"));

            var why = await PullRefusedAsync("2099-04");

            Assert.Contains("302", why, StringComparison.Ordinal);
            Assert.Contains($"http://localhost:{elsewhere.Port}", why, StringComparison.Ordinal);
            Assert.Equal(1, redirecting.Requests);
            Assert.Equal(0, elsewhere.Requests);
        }
        finally
        {
            hub.Reconfigure(("Pull:Transport:BaseUrl", hub.Simulators.BaseUrl.ToString()));
        }
    }

    [Fact]
    public async Task ApiAnswers_CarrySecurityHeaders_AndKeyedAnswersAreNotStored()
    {
        foreach (var (method, path, key, keyed) in new (HttpMethod, string, string?, bool)[]
        {
            (HttpMethod.Get, "/api/ops/quarantine", Keys.Ops, true),
            (HttpMethod.Get, "/api/ops/quarantine", null, true),
            (HttpMethod.Post, "/api/feeds/transport", "nobodys-key", true),
            (HttpMethod.Get, "/api/feeds/transport/transport-2099-01-r0-0000000000000000", Keys.Transport, true),
            (HttpMethod.Get, "/api/feeds/transport-2099-01-r0-0000000000000000", Keys.Transport, true),
            (HttpMethod.Get, "/api/datasets", null, false),
            (HttpMethod.Get, "/api/datasets/1999", null, false),
            (HttpMethod.Get, "/api/health", null, false),
            (HttpMethod.Get, "/api/openapi.json", null, false),
        })
        {
            using var response = await SendAsync(method, path, key);
            var what = $"{method} {path} ({(int)response.StatusCode})";
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", $"{what}: no nosniff");
            Assert.True(
                response.Headers.TryGetValues("Content-Security-Policy", out var csp)
                && csp.Single().Contains("frame-ancestors 'none'", StringComparison.Ordinal), $"{what}: no CSP");
            Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var frame) && frame.Single() == "DENY", $"{what}: no X-Frame-Options");
            Assert.True(keyed == (response.Headers.CacheControl?.NoStore == true), $"{what}: Cache-Control {response.Headers.CacheControl}");
        }
    }

    [Fact]
    public async Task DailyQuota_DepartmentStoresUpToItsQuota_NextPush429UntilMidnightUtcAndNothingStored_OtherDepartmentAccepted()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var usedBefore = await UsageBytesAsync("statistics", today);
        var bodies = Enumerable.Range(1, 4).Select(i => QuotaProbe("statistics", i, 1000)).ToList();
        try
        {
            // 2,500 bytes more than statistics stored today so far, in pushes of 1,000: the first three start under
            // the quota (0, 1,000, 2,000 more), the third is stored whole past it (3,000), the fourth is refused.
            hub.Reconfigure(("Access:Quota:DailyPushBytes", (usedBefore + 2500).ToString(CultureInfo.InvariantCulture)));
            Assert.Equal(400, (await Api.PushAsync("statistics", bodies[0], Keys.Statistics)).Status);
            // The same bytes again store nothing and count nothing.
            Assert.Equal(400, (await Api.PushAsync("statistics", bodies[0], Keys.Statistics)).Status);
            Assert.Equal(usedBefore + 1000, await UsageBytesAsync("statistics", today));
            Assert.Equal(400, (await Api.PushAsync("statistics", bodies[1], Keys.Statistics)).Status);
            Assert.Equal(400, (await Api.PushAsync("statistics", bodies[2], Keys.Statistics)).Status);

            using var refused = await SendAsync(HttpMethod.Post, "/api/feeds/statistics", Keys.Statistics, bodies[3]);
            var problem = await refused.Content.ReadAsStringAsync();
            var now = DateTimeOffset.UtcNow;
            Assert.True(
                refused.StatusCode == HttpStatusCode.TooManyRequests,
                $"The push past the day's quota should be refused; got {(int)refused.StatusCode} {problem}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var untilMidnight = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - now;
            var retryAfter = refused.Headers.RetryAfter?.Delta;
            Assert.True(retryAfter is { } wait && Math.Abs((wait - untilMidnight).TotalSeconds) <= 5,
                $"Retry-After should run to midnight UTC ({untilMidnight.TotalSeconds:F0} s); got {refused.Headers.RetryAfter}");
            Assert.Equal(usedBefore + 3000, JsonDocument.Parse(problem).RootElement.GetProperty("usedBytes").GetInt64());

            // Nothing of the refused push was stored: no body, no report, no feed to follow, and the day's count unchanged.
            var hash = IntegrationHub.Core.Feeds.FeedId.ContentHash(bodies[3]);
            Assert.False((await hub.Azurite.Blobs.GetBlobContainerClient("landing").GetBlobClient($"statistics/{hash}.json").ExistsAsync()).Value);
            Assert.False(
                (await hub.Azurite.Blobs.GetBlobContainerClient("quarantine").GetBlobClient($"statistics/statistics-unreadable-{hash[..16]}.json")
                .ExistsAsync()).Value);
            Assert.Equal(404, (await Api.FeedStatusAsync($"statistics-unreadable-{hash[..16]}")).Status);
            Assert.Equal(usedBefore + 3000, await UsageBytesAsync("statistics", today));
            foreach (var stored in bodies.Take(3))
            {
                Assert.True(
                    (await hub.Azurite.Blobs.GetBlobContainerClient("landing")
                    .GetBlobClient($"statistics/{IntegrationHub.Core.Feeds.FeedId.ContentHash(stored)}.json").ExistsAsync()).Value);
            }

            // The quota is per department: another one, at the same setting, still stores.
            var other = QuotaProbe("power-grid", 99, 1000);
            Assert.Equal(400, (await Api.PushAsync("power-grid", other, Keys.PowerGrid)).Status);
            Assert.True(
                (await hub.Azurite.Blobs.GetBlobContainerClient("landing")
                .GetBlobClient($"power-grid/{IntegrationHub.Core.Feeds.FeedId.ContentHash(other)}.json").ExistsAsync()).Value);

            var entry = Assert.Single(await AuditSinceAsync(since), e =>
                e.GetProperty("action").GetString() == "push" && e.GetProperty("actor").GetString() == "statistics"
                    && e.GetProperty("status").GetInt32() == 429);
            Assert.Equal("rate-limited", entry.GetProperty("outcome").GetString());
            Assert.Contains("Daily storage quota", entry.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            hub.Reconfigure(("Access:Quota:DailyPushBytes", EndToEndHub.TestDailyPushBytes));
        }

        // Back at the fixture's quota the department stores again.
        Assert.Equal(400, (await Api.PushAsync("statistics", bodies[3], Keys.Statistics)).Status);
    }

    /// <summary>An invalid feed of exactly <paramref name="size"/> bytes, different for each <paramref name="n"/>.</summary>
    private static byte[] QuotaProbe(string source, int n, int size)
    {
        var head = $$"""{"source":"{{source}}","note":"quota probe {{n}} {{Guid.NewGuid():N}}","pad":" """;
        var body = Encoding.UTF8.GetBytes(head + new string('x', size - head.Length - 2) + "\"}");
        Assert.Equal(size, body.Length);
        return body;
    }

    /// <summary>The bytes <paramref name="source"/> has stored on <paramref name="day"/>, as the hub counts them in storage.</summary>
    private async Task<long> UsageBytesAsync(string source, DateOnly day)
    {
        var blob = hub.Azurite.Blobs.GetBlobContainerClient("usage").GetBlobClient($"{day:yyyy-MM-dd}/{source}.json");
        if (!(await blob.ExistsAsync()).Value)
        {
            return 0;
        }

        return JsonDocument.Parse((await blob.DownloadContentAsync()).Value.Content.ToString()).RootElement.GetProperty("bytes").GetInt64();
    }

    /// <summary>
    /// A feed that is schema-invalid, so an accepted key gets 400 (and an unaccepted one 401, 403 or 429) without
    /// starting anything: the same bytes each time, so the hub lands them once.
    /// </summary>
    private static byte[] Probe(string source) => Encoding.UTF8.GetBytes($$"""{"source":"{{source}}","note":"access probe"}""");

    private Task<HubAnswer> PushProbeAsync(string source, string key) => Api.PushAsync(source, Probe(source), key);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, byte[]? body = null)
    {
        using var http = new HttpClient { BaseAddress = Api.Address };
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add(Keys.Header, key);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Starts the transport pull of <paramref name="period"/>, which must fail on its first and only attempt; returns why.</summary>
    private async Task<string> PullRefusedAsync(string period)
    {
        var instanceId = await Api.StartPullAcceptedAsync("transport", period);
        var finished = await Api.WaitForInstanceAsync(instanceId, TimeSpan.FromSeconds(60));
        Assert.True(finished.Status == "Failed", $"The pull should fail; got {finished}");
        var failure = (await Ops.InstanceAsync(instanceId)).GetProperty("failure");
        Assert.Equal(typeof(IntegrationHub.Functions.Pull.PullRefusedException).FullName, failure.GetProperty("type").GetString());
        Assert.True(failure.GetProperty("attempts").GetInt32() == 1, $"A refusal is not retried; {failure}");
        return failure.GetProperty("message").GetString()!;
    }

    private async Task<IReadOnlyList<JsonElement>> AuditSinceAsync(DateTimeOffset since)
    {
        var answer = await Api.GetAsync($"/api/ops/audit?limit=1000&since={Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture))}", Keys.Ops);
        Assert.True(answer.Status == 200, $"GET /api/ops/audit should answer 200; got {answer}");
        return [.. answer.Json.GetProperty("entries").EnumerateArray()];
    }
}
