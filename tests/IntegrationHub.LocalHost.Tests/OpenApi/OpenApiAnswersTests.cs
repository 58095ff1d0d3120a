using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.LocalHost.Tests.Ops;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.OpenApi;

/// <summary>
/// The document held to the code: every documented operation called on a running local hub with real data pushed
/// (a quarter of sample feeds and a revision, an invalid feed, failing and hanging department APIs, the fair-use
/// limits lowered for a moment), and every answer's status, media type, headers and body checked against what the
/// served <c>/api/openapi.json</c> declares for it.
/// </summary>
public sealed class OpenApiAnswersTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    // Documented properties no answer here carries, each for a reason the scenario cannot reach cheaply. Every other
    // documented property of a schema some answer reached must be in some answer (a problem's own fields are judged
    // under Problem, not under each problem that extends it).
    private static readonly Dictionary<string, string> RarelyPresent = new(StringComparer.Ordinal)
    {
        ["/$defs/Problem: dependency"] = "only in a 503 (StorageOutageEndToEndTests, ReadinessEndToEndTests)",
        ["/$defs/InstanceConflictProblem: outcome"] = "only when two replays of one failure race",
        ["/$defs/InvalidFeedProblem: errorsNotListed"] = "only beyond 1000 violations",
        ["/$defs/ValidationReport: errorsNotListed"] = "only beyond 1000 violations",
        ["/$defs/FeedCheckProblem: errorsNotListed"] = "only beyond 1000 violations",
    };

    private HubApi Api => hub.Api;

    private OpsApi Ops => new(hub.Api);

    [Fact]
    public async Task EveryOperation_RealAnswers_MatchTheirDocumentedSchemas()
    {
        var documentAnswer = await Api.GetAsync("/api/openapi.json");
        Assert.Equal(200, documentAnswer.Status);
        var judge = new DocumentedAnswers(documentAnswer.Body);
        judge.Check(HttpMethod.Get, "/api/openapi.json", documentAnswer);
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);

        // Before any data: nothing published yet.
        await CallAsync(judge, HttpMethod.Get, "/api/datasets/latest");

        // A quarter of feeds, as the departments push them, then the statistics bureau's revision (a second version).
        var quarter = new List<SampleFeed> { SampleFeed.Load("statistics-2024-Q4-r0.json") };
        foreach (var month in new[] { "2024-10", "2024-11", "2024-12" })
        {
            quarter.AddRange(new[] { "power-grid", "transport", "environment" }.Select(source => SampleFeed.Latest(source, month)));
        }

        foreach (var feed in quarter)
        {
            Assert.Equal(202, (await CallAsync(judge, HttpMethod.Post, $"/api/feeds/{feed.Source}", Keys.Of(feed.Source), feed.Bytes)).Status);
        }

        await Api.WaitUntilQuietAsync();
        var revision = SampleFeed.Load("statistics-2024-Q4-r1.json");
        Assert.Equal(202, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/statistics", Keys.Statistics, revision.Bytes)).Status);
        await Api.WaitUntilQuietAsync();

        // Pushes that go wrong in each documented way (a 429 needs the limits lowered: the fair-use tests do that).
        var transport = quarter.First(f => f.Source == "transport");
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/transport", Keys.Transport, transport.Bytes)).Status);
        var invalid = await CallAsync(judge, HttpMethod.Post, "/api/feeds/transport", Keys.Transport, SampleFeed.Load("invalid/missing-producer.json").Bytes);
        Assert.Equal(400, invalid.Status);
        var quarantinedId = invalid.Json.GetProperty("feedId").GetString()!;
        Assert.Equal(401, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/transport", null, transport.Bytes)).Status);
        Assert.Equal(403, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/transport", Keys.Ops, transport.Bytes)).Status);
        Assert.Equal(404, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/water", Keys.Transport, transport.Bytes)).Status);
        Assert.Equal(415, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/transport", Keys.Transport, transport.Bytes, "text/plain")).Status);
        var oversized = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 9 * 1024 * 1024) + "\"}");
        Assert.Equal(413, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/transport", Keys.Transport, oversized)).Status);

        // Following feeds.
        var statusPath = $"/api/feeds/transport/{transport.FeedId}";
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, statusPath, Keys.Transport)).Status);
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, $"/api/feeds/transport/{quarantinedId}", Keys.Transport)).Status);
        Assert.Equal(401, (await CallAsync(judge, HttpMethod.Get, statusPath, null)).Status);
        Assert.Equal(403, (await CallAsync(judge, HttpMethod.Get, statusPath, Keys.Statistics)).Status);
        Assert.Equal(404, (await CallAsync(judge, HttpMethod.Get, "/api/feeds/transport/transport-2024-10-r0-0000000000000000", Keys.Transport)).Status);
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, $"/api/feeds/{transport.FeedId}", Keys.Ops)).Status);
        Assert.Equal(404, (await CallAsync(judge, HttpMethod.Get, "/api/feeds/transport-2024-10-r0-0000000000000000", Keys.Ops)).Status);

        // The schemas, and a feed checked without being sent.
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, "/api/receipts/keys")).Status);
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, "/api/schemas")).Status);
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, "/api/schemas/feeds/transport/1.1")).Status);
        Assert.Equal(404, (await CallAsync(judge, HttpMethod.Get, "/api/schemas/feeds/transport/9.9")).Status);
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, "/api/schemas/dataset/2.0")).Status);
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, "/api/schemas/reference/areas")).Status);
        Assert.Equal(404, (await CallAsync(judge, HttpMethod.Get, "/api/schemas/reference/nothing")).Status);
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/transport/validate", Keys.Transport, transport.Bytes)).Status);
        Assert.Equal(400, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/transport/validate", Keys.Transport,
            SampleFeed.Load("invalid/missing-producer.json").Bytes)).Status);
        Assert.Equal(401, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/transport/validate", null, transport.Bytes)).Status);
        Assert.Equal(403, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/transport/validate", Keys.Ops, transport.Bytes)).Status);
        Assert.Equal(404, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/water/validate", Keys.Transport, transport.Bytes)).Status);
        Assert.Equal(415, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/transport/validate", Keys.Transport, transport.Bytes, "text/plain")).Status);

        // Published data, without a key.
        foreach (var (path, status) in new[]
        {
            ("/api/datasets", 200), ("/api/areas", 200), ("/api/datasets/latest", 200), ("/api/datasets/latest?kind=quarter&area=XJNA&indicator=carbon.", 200),
            ("/api/datasets/latest?kind=decade", 400), ("/api/datasets/2024-Q4", 200), ("/api/datasets/2024-Q4?area=430104,XJNA", 200),
            ("/api/datasets/2024-Q4?indicator=no.such", 400), ("/api/datasets/2019-Q1", 404), ("/api/datasets/not-a-period", 400),
            ("/api/datasets/2024-Q4/versions", 200), ("/api/datasets/2019-Q1/versions", 404), ("/api/datasets/Q4-2024/versions", 400),
            ("/api/datasets/2024-Q4/versions/1", 200), ("/api/datasets/2024-Q4/versions/2?area=XJNA", 200), ("/api/datasets/2024-Q4/versions/99", 404),
            ("/api/datasets/2024-Q4/versions/0", 400), ("/api/datasets/2024-Q4/diff?from=1&to=2", 200), ("/api/datasets/2024-Q4/diff?from=2&to=2", 400),
            ("/api/datasets/2019-Q1/diff?from=1&to=2", 404),
            ("/api/supply", 200), ("/api/supply?source=power-grid&from=2024-Q4&to=2025", 200), ("/api/supply?source=water", 400),
            ("/api/supply?from=2025-03&to=2025-01", 400),
        })
        {
            var answer = await CallAsync(judge, HttpMethod.Get, path);
            Assert.True(answer.Status == status, $"GET {path}: expected {status}; got {answer}");
        }

        // A feed whose run fails at recording (its year's ledger held under a lease, as storage trouble would), left to
        // fail while the pulls below run; then a pull whose department API fails every time, one that hangs, and the
        // instance actions on them.
        var stuck = SampleFeed.Load("environment-2025-09-r0.json");
        var stuckRun = $"feed:{stuck.Source}:{stuck.Period}:{stuck.FeedId[^16..]}";
        var lease = await LedgerLease.HoldAsync(hub.Azurite.Blobs, stuck);
        Assert.Equal(202, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/environment", Keys.Environment, stuck.Bytes)).Status);
        await hub.Simulators.ResetAsync();
        await hub.Simulators.SetModeAsync("statistics", "fail", null);
        await hub.Simulators.SetModeAsync("environment", "hang", null);
        Assert.Equal(202, (await CallAsync(judge, HttpMethod.Post, "/api/pulls/statistics/2025-Q1", Keys.Ops)).Status);
        Assert.Equal(202, (await CallAsync(judge, HttpMethod.Post, "/api/pulls/environment/2025-01", Keys.Ops)).Status);
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Post, "/api/pulls/environment/2025-01", Keys.Ops)).Status);
        Assert.Equal(400, (await CallAsync(judge, HttpMethod.Post, "/api/pulls/statistics/2025-13", Keys.Ops)).Status);
        Assert.Equal(404, (await CallAsync(judge, HttpMethod.Post, "/api/pulls/water/2025-01", Keys.Ops)).Status);
        Assert.Equal(403, (await CallAsync(judge, HttpMethod.Post, "/api/pulls/statistics/2025-Q1", Keys.Statistics)).Status);
        const string failing = "pull:statistics:2025-Q1";
        const string hanging = "pull:environment:2025-01";
        Assert.Equal("Failed", (await Api.WaitForInstanceAsync(failing)).Status);
        await Ops.WaitForStatusAsync(hanging, "Running");

        var hangingPath = $"/api/ops/instances/{OpsApi.Escape(hanging)}";
        var failingPath = $"/api/ops/instances/{OpsApi.Escape(failing)}";
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, failingPath, Keys.Ops)).Status);
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, hangingPath, Keys.Ops)).Status);
        Assert.Equal(409, (await CallAsync(judge, HttpMethod.Post, hangingPath + "/resume", Keys.Ops)).Status);
        Assert.Equal(409, (await CallAsync(judge, HttpMethod.Delete, hangingPath, Keys.Ops)).Status);
        Assert.Equal(202, (await CallAsync(judge, HttpMethod.Post, hangingPath + "/suspend", Keys.Ops, Json(new { reason = "environment API hangs" }))).Status);
        await Ops.WaitForStatusAsync(hanging, "Suspended");
        Assert.Equal(409, (await CallAsync(judge, HttpMethod.Post, hangingPath + "/suspend", Keys.Ops)).Status);
        Assert.Equal(202, (await CallAsync(judge, HttpMethod.Post, hangingPath + "/resume", Keys.Ops)).Status);
        await Ops.WaitForStatusAsync(hanging, "Running");
        Assert.Equal(202, (await CallAsync(judge, HttpMethod.Post, hangingPath + "/terminate?reason=maintenance", Keys.Ops)).Status);
        await Ops.WaitForStatusAsync(hanging, "Terminated");
        Assert.Equal(409, (await CallAsync(judge, HttpMethod.Post, hangingPath + "/terminate", Keys.Ops)).Status);
        Assert.Equal(409, (await CallAsync(judge, HttpMethod.Post, hangingPath + "/rewind", Keys.Ops)).Status);
        Assert.Equal(400, (await CallAsync(judge, HttpMethod.Post, hangingPath + "/rewind", Keys.Ops, Encoding.UTF8.GetBytes("{\"reason\": 42}"))).Status);
        Assert.Equal(404, (await CallAsync(judge, HttpMethod.Post, "/api/ops/instances/pull%3Anone%3A2025-01/suspend", Keys.Ops)).Status);

        // The storage trouble is over: the failed feed run is reprocessed.
        Assert.Equal("Failed", (await Api.WaitForInstanceAsync(stuckRun, TimeSpan.FromSeconds(90))).Status);
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, $"/api/ops/instances/{OpsApi.Escape(stuckRun)}", Keys.Ops)).Status);
        await lease.ReleaseAsync();
        Assert.Equal(202, (await CallAsync(judge, HttpMethod.Post, $"/api/ops/feeds/{stuck.FeedId}/reprocess", Keys.Ops)).Status);

        // The department APIs work again: the failure is rewound, the terminated pull replayed, the failures replayed in bulk.
        await hub.Simulators.ResetAsync();
        await Task.Delay(TimeSpan.FromSeconds(6)); // the terminated run's fetch hangs until its 5 s timeout (see OpsEndToEndTests)
        var rewound = await CallAsync(judge, HttpMethod.Post, failingPath + "/rewind", Keys.Ops, Json(new { reason = "statistics API fixed" }));
        Assert.True(rewound.Status is 202 or 501, $"{rewound}");
        Assert.Equal(202, (await CallAsync(judge, HttpMethod.Post, hangingPath + "/replay", Keys.Ops)).Status);
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Post,
            $"/api/ops/replay-failed?since={Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture))}&name=PullFeed",
            Keys.Ops)).Status);
        Assert.Equal(400, (await CallAsync(judge, HttpMethod.Post, "/api/ops/replay-failed?since=yesterday", Keys.Ops)).Status);
        await Api.WaitUntilQuietAsync();
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, hangingPath, Keys.Ops)).Status);
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, failingPath, Keys.Ops)).Status);
        Assert.Equal(409, (await CallAsync(judge, HttpMethod.Post, failingPath + "/replay", Keys.Ops)).Status);
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Delete, hangingPath, Keys.Ops)).Status);
        Assert.Equal(404, (await CallAsync(judge, HttpMethod.Delete, hangingPath, Keys.Ops)).Status);
        Assert.Equal(404, (await CallAsync(judge, HttpMethod.Get, hangingPath, Keys.Ops)).Status);

        // Feeds as ops see them, the reconciliation and the audit log.
        Assert.Equal(422, (await CallAsync(judge, HttpMethod.Post, $"/api/ops/feeds/{quarantinedId}/reprocess", Keys.Ops)).Status);
        Assert.Equal(409, (await CallAsync(judge, HttpMethod.Post, $"/api/ops/feeds/{transport.FeedId}/reprocess", Keys.Ops)).Status);
        Assert.Equal(404, (await CallAsync(judge, HttpMethod.Post, "/api/ops/feeds/transport-2025-06-r0-0000000000000000/reprocess", Keys.Ops)).Status);
        foreach (var (path, status) in new[]
        {
            ("/api/ops/instances", 200), ("/api/ops/instances?status=Failed,Completed&name=PullFeed&pageSize=2", 200),
                ("/api/ops/instances?status=Broken", 400),
            ("/api/ops/quarantine", 200), ("/api/ops/quarantine?source=water", 400), ("/api/ops/reconcile?graceSeconds=0", 200),
            ("/api/ops/reconcile?graceSeconds=-1", 400), ("/api/ops/audit?limit=50", 200), ("/api/ops/audit?since=last-week", 400),
        })
        {
            var answer = await CallAsync(judge, HttpMethod.Get, path, Keys.Ops);
            Assert.True(answer.Status == status, $"GET {path}: expected {status}; got {answer}");
        }

        // The subscribers, what each was sent, and a redelivery from the quarter's first version on, one event per call.
        var deliveries = await CallAsync(judge, HttpMethod.Get, "/api/ops/subscribers/dual-carbon-dashboard/deliveries?limit=1", Keys.Ops);
        Assert.Equal(200, deliveries.Status);
        var next = deliveries.Json.GetProperty("continuationToken").GetString()!;
        var redelivered = await CallAsync(judge, HttpMethod.Post, "/api/ops/subscribers/dual-carbon-dashboard/redeliver?since=2024-Q4%2Fv1&limit=1", Keys.Ops);
        Assert.Equal(200, redelivered.Status);
        Assert.Equal(["2024-Q4/v1"], redelivered.Json.GetProperty("eventIds").EnumerateArray().Select(e => e.GetString()));
        foreach (var (method, path, status) in new[]
        {
            (HttpMethod.Get, "/api/ops/subscribers", 200),
                (HttpMethod.Get, $"/api/ops/subscribers/dual-carbon-dashboard/deliveries?continuationToken={Uri.EscapeDataString(next)}",
                200),
            (HttpMethod.Get, "/api/ops/subscribers/dual-carbon-dashboard/deliveries?limit=0", 400),
                (HttpMethod.Get, "/api/ops/subscribers/nobody/deliveries", 404),
            (HttpMethod.Post, "/api/ops/subscribers/dual-carbon-dashboard/redeliver?since=yesterday", 400),
            (HttpMethod.Post, "/api/ops/subscribers/nobody/redeliver?since=2024-01-01T00:00:00Z", 404),
        })
        {
            var answer = await CallAsync(judge, method, path, Keys.Ops);
            Assert.True(answer.Status == status, $"{method} {path}: expected {status}; got {answer}");
        }

        // The same reconciliation in the background: started, followed until done, its report held to the document too.
        var started = await CallAsync(judge, HttpMethod.Post, "/api/ops/reconciliations?graceSeconds=0", Keys.Ops);
        Assert.Equal(202, started.Status);
        Assert.Equal(400, (await CallAsync(judge, HttpMethod.Post, "/api/ops/reconciliations?graceSeconds=-1", Keys.Ops)).Status);
        var runPath = started.Json.GetProperty("status").GetString()!;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((await Api.GetAsync(runPath, Keys.Ops)).Json.GetProperty("status").GetString() is not ("Completed" or "Failed") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, runPath, Keys.Ops)).Status);
        Assert.Equal(404, (await CallAsync(judge, HttpMethod.Get, "/api/ops/reconciliations/no-such-run", Keys.Ops)).Status);

        Assert.Equal(401, (await CallAsync(judge, HttpMethod.Get, "/api/ops/instances", null)).Status);
        Assert.Equal(403, (await CallAsync(judge, HttpMethod.Get, "/api/ops/audit", Keys.Transport)).Status);
        Assert.Equal(202, (await CallAsync(judge, HttpMethod.Post, "/api/ops/reconsolidate", Keys.Ops)).Status);
        await Api.WaitUntilQuietAsync();

        // Fair use: with one push and one ops call a minute, the second of each is refused until Retry-After.
        hub.Reconfigure(("Access:RateLimit:PushPermitsPerMinute", "1"), ("Access:RateLimit:PushBurst", "1"), ("Access:RateLimit:OpsPermitsPerMinute", "1"));
        try
        {
            var pushes = new List<int>();
            for (var i = 0; i < 2; i++)
            {
                pushes.Add((await CallAsync(judge, HttpMethod.Post, "/api/feeds/transport", Keys.Transport, transport.Bytes)).Status);
            }

            Assert.Equal([200, 429], pushes);
            Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, "/api/ops/audit?limit=1", Keys.Ops)).Status);
            Assert.Equal(429, (await CallAsync(judge, HttpMethod.Get, "/api/ops/audit?limit=1", Keys.Ops)).Status);
        }
        finally
        {
            hub.Reconfigure(("Access:RateLimit:PushPermitsPerMinute", "100000"),
                ("Access:RateLimit:PushBurst", "100000"), ("Access:RateLimit:OpsPermitsPerMinute", "100000"));
        }

        // The daily storage quota at its least: transport stored more than 1 KiB today, so its next push is refused until midnight.
        hub.Reconfigure(("Access:Quota:DailyPushBytes", "1024"));
        try
        {
            Assert.Equal(429, (await CallAsync(judge, HttpMethod.Post, "/api/feeds/transport", Keys.Transport, transport.Bytes)).Status);
        }
        finally
        {
            hub.Reconfigure(("Access:Quota:DailyPushBytes", EndToEndHub.TestDailyPushBytes));
        }

        // Pages, their files, the probes.
        foreach (var (path, status) in new[]
        {
            ("/api/console", 200), ("/api/dashboard", 200), ("/api/docs", 200), ("/api/web/swagger-ui-bundle.js", 200),
                ("/api/web/swagger-ui-license.txt", 200), ("/api/web/common.js", 200), ("/api/web/web.css", 200),
            ("/api/web/nothing.js", 404), ("/api/health", 200), ("/api/ready", 200),
        })
        {
            var answer = await CallAsync(judge, HttpMethod.Get, path);
            Assert.True(answer.Status == status, $"GET {path}: expected {status}; got {answer}");
        }

        // The console's sign-in settings: none in local development, then with Entra ID sign-in configured for a moment.
        Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, "/api/console/sign-in")).Status);
        hub.Reconfigure(("Access:Entra:TenantId", "8f0e2c1a-5b7d-4e3f-9a61-0c2d4b6e8f10"), ("Access:Entra:Audience", "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"),
            ("Access:Entra:ConsoleClientId", "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"));
        try
        {
            Assert.Equal(200, (await CallAsync(judge, HttpMethod.Get, "/api/console/sign-in")).Status);
        }
        finally
        {
            hub.Reconfigure(("Access:Entra:TenantId", null), ("Access:Entra:Audience", null), ("Access:Entra:ConsoleClientId", null));
        }

        var wrong = judge.Answers.Where(a => a.Mismatches.Count > 0).ToList();
        Assert.True(wrong.Count == 0, "Answers that do not match the document:" + Environment.NewLine
            + string.Join(Environment.NewLine, wrong.SelectMany(a => a.Mismatches.Select(m => $"{a.Method} {a.Path} {a.Status}: {m}"))));

        var uncalled = judge.Operations.Keys.Except(judge.Answers.Select(a => a.OperationId), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.True(uncalled.Count == 0, "Documented operations this test never called (add a realistic request for each): " + string.Join(", ", uncalled));

        var neverSeen = judge.NeverSeen().Where(p => !RarelyPresent.ContainsKey(p)).ToList();
        Assert.True(neverSeen.Count == 0, "Documented properties no answer carried (renamed or dropped by the code?): " + string.Join("; ", neverSeen));
    }

    [Fact]
    public async Task Checker_AnswerWithADocumentedFieldRenamedOrMissing_IsRefused()
    {
        var document = await Api.GetAsync("/api/openapi.json");
        var judge = new DocumentedAnswers(document.Body);
        var status = new JsonObject
        {
            ["feedId"] = "transport-2024-10-r0-0123456789abcdef",
            ["source"] = "transport",
            ["period"] = "2024-10",
            ["state"] = "Validated",
            ["landingBlob"] = "landing/transport/2024-10/transport-2024-10-r0-0123456789abcdef.json",
            ["receivedAt"] = "2026-12-07T10:00:00Z",
            ["report"] = null,
            ["datasets"] = new JsonArray(),
        };
        Assert.Empty(judge.ValidateAgainst("FeedStatus", status));

        var renamed = status.DeepClone().AsObject();
        renamed["feedID"] = renamed["feedId"]!.DeepClone();
        renamed.Remove("feedId");
        Assert.NotEmpty(judge.ValidateAgainst("FeedStatus", renamed));

        var missing = status.DeepClone().AsObject();
        missing.Remove("state");
        Assert.NotEmpty(judge.ValidateAgainst("FeedStatus", missing));

        var wrongType = status.DeepClone().AsObject();
        wrongType["receivedAt"] = "yesterday";
        Assert.NotEmpty(judge.ValidateAgainst("FeedStatus", wrongType));

        // A problem answer with a field none of the problem's parts names.
        Assert.NotEmpty(judge.ValidateAgainst("InvalidFeedProblem",
            new JsonObject { ["title"] = "Invalid feed", ["status"] = 400, ["errorList"] = new JsonArray() }));
    }

    private static byte[] Json(object value) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value);

    // Sends the request as a client would and has the document judge the answer.
    private async Task<HubAnswer> CallAsync(DocumentedAnswers judge, HttpMethod method, string path, string? key = null,
        byte[]? body = null, string contentType = "application/json")
    {
        using var http = new HttpClient { BaseAddress = Api.Address, Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add(Keys.Header, key);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await http.SendAsync(request);
        var answer = new HubAnswer(
            (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                await response.Content.ReadAsStringAsync(), response.Headers.Location?.ToString(),
            response.Headers.TryGetValues("Retry-After", out var retryAfter) ? string.Join(",", retryAfter) : null);
        judge.Check(method, path.Split('?')[0], answer);
        return answer;
    }
}
