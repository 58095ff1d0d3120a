using System.Text.Json;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Intake;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.Ops;

/// <summary>
/// The ops API end to end: the local host on a real Azurite with the department simulators, as an operator uses it.
/// One hub for the class, so each test has periods of its own; taken: transport 2024-06, 2024-11, 2025-01 to 2025-03
/// and the invalid sample, power-grid 2024-07 to 2024-11, environment 2024-04, 2024-05, 2025-08, 2025-09, and
/// statistics 2025-Q1.
/// </summary>
public sealed class OpsEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    // The fixture's Pull:RetryMaxAttempts.
    private const int PullAttempts = 4;

    private HubApi Api => hub.Api;

    private OpsApi Ops => new(hub.Api);

    [Fact]
    public async Task ReplayInstance_PullFailedOnEveryAttemptThenDepartmentFixed_CompletesAndDatasetPublished()
    {
        const string instanceId = "pull:transport:2024-06";
        await hub.Simulators.ResetAsync();
        await hub.Simulators.SetModeAsync("transport", "fail", null);
        InstanceState failed;
        SimulatorCounters counters;
        try
        {
            Assert.Equal(instanceId, await Api.StartPullAcceptedAsync("transport", "2024-06"));
            failed = await Api.WaitForInstanceAsync(instanceId);
            counters = await hub.Simulators.CountersAsync("transport");
        }
        finally
        {
            await hub.Simulators.ResetAsync();
        }

        Assert.True(failed.Status == "Failed", $"The pull should fail when transport answers 500 every time; {failed}");
        Assert.Equal(PullAttempts, counters.WithStatus(500));

        // What the operator sees: the step that failed, how often, why, and the department period behind it.
        var detail = await Ops.InstanceAsync(instanceId);
        var failure = detail.GetProperty("failure");
        Assert.True(failure.GetProperty("activity").GetString() == "FetchFeed", OpsApi.Describe(detail));
        Assert.Equal(PullAttempts, failure.GetProperty("attempts").GetInt32());
        Assert.Contains("500", failure.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("HttpRequestException", failure.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(failure.GetProperty("stackTrace").GetString()), "The failure should carry the activity's stack trace.");
        var feed = Assert.Single(detail.GetProperty("feeds").EnumerateArray());
        Assert.Equal(("transport", "2024-06", "NotReceived"),
            (feed.GetProperty("source").GetString(), feed.GetProperty("period").GetString(),
            feed.GetProperty("state").GetString()));
        Assert.Equal(PullAttempts, OpsApi.CountEvents(detail, "TaskScheduled", "FetchFeed"));
        Assert.Equal(PullAttempts, OpsApi.CountEvents(detail, "TaskFailed", "FetchFeed"));
        var types = detail.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.True(types.IndexOf("ExecutionStarted") is >= 0 and var started && started < types.IndexOf("TaskScheduled"), OpsApi.Describe(detail));
        Assert.True(types.LastIndexOf("ExecutionCompleted") > types.LastIndexOf("TaskFailed"), OpsApi.Describe(detail));
        Assert.Contains("replay", StringsOf(detail.GetProperty("actions")));

        // The department is back: replay runs the pull again from its input, under the same id.
        var replay = await Ops.ActAsync(instanceId, "replay");
        Assert.True(replay.Status == 202, $"Replay should be accepted; got {replay}");
        Assert.Equal(instanceId, replay.Json.GetProperty("instanceId").GetString());
        var pull = await Api.WaitForInstanceAsync(instanceId);
        Assert.True(pull.Status == "Completed", $"The replayed pull should complete; {pull}");
        var processing = await Api.WaitForInstanceAsync(pull.OutputJson.Prop("processingInstanceId").GetString()!);
        var feedId = processing.OutputJson.Prop("feedId").GetString()!;
        Assert.Equal(SampleFeed.Latest("transport", "2024-06").FeedId, feedId);
        var status = await Api.WaitForFeedConsolidatedAsync(feedId);
        Assert.Contains(StringsOf(status.GetProperty("datasets")), v => v.StartsWith("2024-Q2/v", StringComparison.Ordinal));
        Assert.Contains(feedId, InputsOf((await Api.DatasetAsync("2024-Q2"))!.Value));

        // After the replay the instance has completed: nothing to replay, and the detail now links the feed.
        AssertProblem(await Ops.ActAsync(instanceId, "replay"), 409);
        var done = await Ops.InstanceAsync(instanceId);
        Assert.Equal(JsonValueKind.Null, done.GetProperty("failure").ValueKind);
        Assert.Equal(feedId, Assert.Single(done.GetProperty("feeds").EnumerateArray()).GetProperty("feedId").GetString());

        // The failed run the replay replaced is kept with the instance: its failure and its four failed fetches.
        Assert.Equal(1, done.GetProperty("earlierRunCount").GetInt32());
        var earlier = Assert.Single(done.GetProperty("earlierRuns").EnumerateArray());
        Assert.Equal("Failed", earlier.GetProperty("status").GetString());
        Assert.Equal("FetchFeed", earlier.GetProperty("failure").GetProperty("activity").GetString());
        Assert.Equal(PullAttempts, earlier.GetProperty("failure").GetProperty("attempts").GetInt32());
        Assert.Equal(PullAttempts, earlier.GetProperty("history").EnumerateArray().Count(e => e.GetProperty("type").GetString() == "TaskFailed"));
        Assert.Equal("replay by ops", earlier.GetProperty("replacedBy").GetString());

        var audit = await Ops.AuditOfAsync(instanceId);
        Assert.Contains(audit, e => Is(e, "replay", "accepted", 202));
        Assert.Contains(audit, e => Is(e, "replay", "refused", 409));
        Assert.All(audit, e => Assert.Equal(("ops", "primary"), (e.GetProperty("actor").GetString(), e.GetProperty("keySlot").GetString())));
    }

    [Fact]
    public async Task ReplayFailed_CalledTwiceAtOnceAndAgain_EachFailureReplayedOnce()
    {
        string[] instanceIds = ["pull:power-grid:2024-07", "pull:power-grid:2024-08"];
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await hub.Simulators.ResetAsync();
        await hub.Simulators.SetModeAsync("power-grid", "fail", null);
        try
        {
            foreach (var period in new[] { "2024-07", "2024-08" })
            {
                await Api.StartPullAcceptedAsync("power-grid", period);
            }

            foreach (var id in instanceIds)
            {
                var failed = await Api.WaitForInstanceAsync(id);
                Assert.True(failed.Status == "Failed", $"{failed}");
            }
        }
        finally
        {
            await hub.Simulators.ResetAsync();
        }

        // Two operators (or a script run twice) at the same moment: every failure is replayed by exactly one of them.
        var calls = await Task.WhenAll(Ops.ReplayFailedAsync(since, "PullFeed"), Ops.ReplayFailedAsync(since, "PullFeed"));
        Assert.All(calls, c => Assert.True(c.Status == 200, $"replay-failed should answer 200; got {c}"));
        var outcomes = calls.SelectMany(c => c.Json.GetProperty("results").EnumerateArray()).ToList();
        foreach (var id in instanceIds)
        {
            Assert.Equal(1, outcomes.Count(o => o.GetProperty("instanceId").GetString() == id && o.GetProperty("outcome").GetString() == "replayed"));
        }

        foreach (var id in instanceIds)
        {
            var replayed = await Api.WaitForInstanceAsync(id);
            Assert.True(replayed.Status == "Completed", $"The replayed pull should complete; {replayed}");
        }

        var again = await Ops.ReplayFailedAsync(since, "PullFeed");
        Assert.Equal(200, again.Status);
        Assert.DoesNotContain(again.Json.GetProperty("results").EnumerateArray(), o => instanceIds.Contains(o.GetProperty("instanceId").GetString()));
        Assert.Equal(0, again.Json.GetProperty("replayed").GetInt32());

        foreach (var id in instanceIds)
        {
            var audit = await Ops.AuditOfAsync(id);
            Assert.Single(audit, e => Is(e, "replay-failed", "accepted", 202));
        }
    }

    [Fact]
    public async Task ReplayFailed_DryRunListsTheOldestUpToMaxAndDoesNothing_ThenMaxReplaysOnlyThose()
    {
        string[] periods = ["2024-09", "2024-10", "2024-11"];
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await hub.Simulators.ResetAsync();
        await hub.Simulators.SetModeAsync("power-grid", "fail", null);
        try
        {
            foreach (var period in periods)
            {
                await Api.StartPullAcceptedAsync("power-grid", period);
            }

            foreach (var period in periods)
            {
                Assert.Equal("Failed", (await Api.WaitForInstanceAsync($"pull:power-grid:{period}")).Status);
            }
        }
        finally
        {
            await hub.Simulators.ResetAsync();
        }

        // The two that failed first, as the instances themselves say: what a max of 2 takes.
        var failedAt = new Dictionary<string, DateTimeOffset>();
        foreach (var period in periods)
        {
            var id = $"pull:power-grid:{period}";
            failedAt[id] = (await Ops.InstanceAsync(id)).GetProperty("lastUpdatedAt").GetDateTimeOffset();
        }

        List<string?> oldestTwo = [.. failedAt.OrderBy(f => f.Value).ThenBy(f => f.Key, StringComparer.Ordinal).Take(2).Select(f => f.Key)];
        var newest = failedAt.Keys.Single(k => !oldestTwo.Contains(k));
        var query = $"since={Uri.EscapeDataString(since.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}&name=PullFeed&max=2";

        var dry = await Api.SendAsync(HttpMethod.Post, $"/api/ops/replay-failed?{query}&dryRun=true", Keys.Ops);
        Assert.True(dry.Status == 200, $"{dry}");
        Assert.True(dry.Json.GetProperty("dryRun").GetBoolean());
        Assert.Equal(3, dry.Json.GetProperty("matched").GetInt32());
        Assert.Equal(1, dry.Json.GetProperty("notTaken").GetInt32());
        Assert.Equal(0, dry.Json.GetProperty("replayed").GetInt32());
        var listed = dry.Json.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(oldestTwo, listed.Select(r => r.GetProperty("instanceId").GetString()).ToList());
        Assert.All(listed, r => Assert.Equal("would-replay", r.GetProperty("outcome").GetString()));
        foreach (var id in failedAt.Keys)
        {
            Assert.Equal("Failed", (await Ops.InstanceAsync(id)).GetProperty("status").GetString());
            Assert.DoesNotContain(await Ops.AuditOfAsync(id), e => e.GetProperty("action").GetString() == "replay-failed");
        }

        Assert.Contains(await Ops.AuditOfAsync("dry-run"), e => Is(e, "replay-failed", "done", 200));

        var real = await Api.SendAsync(HttpMethod.Post, $"/api/ops/replay-failed?{query}", Keys.Ops);
        Assert.True(real.Status == 200, $"{real}");
        Assert.False(real.Json.GetProperty("dryRun").GetBoolean());
        Assert.Equal(2, real.Json.GetProperty("replayed").GetInt32());
        Assert.Equal(1, real.Json.GetProperty("notTaken").GetInt32());
        Assert.Equal(oldestTwo, real.Json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("instanceId").GetString()).ToList());
        foreach (var id in oldestTwo)
        {
            Assert.Equal("Completed", (await Api.WaitForInstanceAsync(id!)).Status);
        }

        Assert.Equal("Failed", (await Ops.InstanceAsync(newest)).GetProperty("status").GetString());

        foreach (var bad in new[] { "0", "501", "many" })
        {
            var refused = await Api.SendAsync(HttpMethod.Post, $"/api/ops/replay-failed?max={bad}&dryRun=true", Keys.Ops);
            Assert.True(refused.Status == 400 && refused.MediaType == "application/problem+json", $"max={bad}: {refused}");
            Assert.Equal("max", refused.Json.GetProperty("parameter").GetString());
        }
    }

    [Fact]
    public async Task RewindInstance_ProcessFeedFailedAtRecordingThenStorageFixed_RerunsTheFailedStepAndTheFeedIsConsolidated()
    {
        var feed = SampleFeed.Load("environment-2025-08-r0.json");
        var instanceId = FeedInstanceId(feed);
        var lease = await LedgerLease.HoldAsync(hub.Azurite.Blobs, feed);
        Assert.Equal(feed.FeedId, await Api.PushAcceptedAsync(feed.Name));
        var failed = await Api.WaitForInstanceAsync(instanceId, TimeSpan.FromSeconds(90));
        Assert.True(failed.Status == "Failed", $"ProcessFeed should fail while its year's ledger is leased; {failed}");
        var detail = await Ops.InstanceAsync(instanceId);
        Assert.True(detail.GetProperty("failure").GetProperty("activity").GetString() == "RecordFeed", OpsApi.Describe(detail));
        Assert.Equal(1, detail.GetProperty("failure").GetProperty("attempts").GetInt32());
        Assert.Contains("lease", detail.GetProperty("failure").GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        var linked = Assert.Single(detail.GetProperty("feeds").EnumerateArray());
        Assert.Equal((feed.FeedId, "Validated"), (linked.GetProperty("feedId").GetString(), linked.GetProperty("state").GetString()));

        await lease.ReleaseAsync();
        var rewind = await Ops.ActAsync(instanceId, "rewind", body: new { reason = "normalized blob lease released" });
        Assert.True(rewind.Status == 202, $"Rewind should be accepted on the local host; got {rewind}");

        // The engine may still show Failed for a moment after accepting the rewind: wait for the end it should reach.
        var done = await Ops.WaitForStatusAsync(instanceId, "Completed");
        Assert.Equal("Recorded", JsonDocument.Parse(done.GetProperty("output").GetString()!).RootElement.Prop("outcome").GetString());
        await Api.WaitForFeedConsolidatedAsync(feed.FeedId);
        var after = await Ops.InstanceAsync(instanceId);
        // The rewind re-ran the failed step, which then completed once.
        Assert.True(OpsApi.CountEvents(after, "TaskCompleted", "RecordFeed") == 1, OpsApi.Describe(after));

        AssertProblem(await Ops.ActAsync(instanceId, "rewind"), 409);
        var audit = await Ops.AuditOfAsync(instanceId);
        Assert.Contains(audit, e => Is(e, "rewind", "accepted", 202));
        Assert.Contains(audit, e => Is(e, "rewind", "refused", 409));
    }

    [Fact]
    public async Task ReprocessFeed_ProcessFeedFailedThenStorageFixed_RestartedAndConsolidated()
    {
        var feed = SampleFeed.Load("environment-2025-09-r0.json");
        var instanceId = FeedInstanceId(feed);
        var lease = await LedgerLease.HoldAsync(hub.Azurite.Blobs, feed);
        await Api.PushAcceptedAsync(feed.Name);
        var failed = await Api.WaitForInstanceAsync(instanceId, TimeSpan.FromSeconds(90));
        Assert.True(failed.Status == "Failed", $"{failed}");

        // The storage trouble is over (the lease is gone): reprocessing restarts the failed run.
        await lease.ReleaseAsync();
        var reprocess = await Ops.ReprocessAsync(feed.FeedId);
        Assert.True(reprocess.Status == 202, $"Reprocessing a feed whose run failed should be accepted; got {reprocess}");
        Assert.Equal(("restarted", instanceId), (reprocess.Json.GetProperty("reprocessing").GetString(), reprocess.Json.GetProperty("instanceId").GetString()));
        // Where ops follow the run: its ops URL, in the body and in Location (as documented).
        var runUrl = $"/api/ops/instances/{Uri.EscapeDataString(instanceId)}";
        Assert.Equal((runUrl, runUrl), (reprocess.Json.GetProperty("status").GetString(), reprocess.Location));

        var done = await Api.WaitForInstanceAsync(instanceId);
        Assert.True(done.Status == "Completed", $"The restarted run should complete; {done}");
        var status = await Api.WaitForFeedConsolidatedAsync(feed.FeedId);
        Assert.Contains(StringsOf(status.GetProperty("datasets")), v => v.StartsWith("2025-Q3/v", StringComparison.Ordinal));
        Assert.Contains(feed.FeedId, InputsOf((await Api.DatasetAsync("2025-Q3"))!.Value));

        var again = await Ops.ReprocessAsync(feed.FeedId);
        AssertProblem(again, 409);
        Assert.Contains("nothing to reprocess", again.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var audit = await Ops.AuditOfAsync(feed.FeedId);
        Assert.Contains(audit, e => Is(e, "reprocess", "accepted", 202));
        Assert.Contains(audit, e => Is(e, "reprocess", "refused", 409));
    }

    [Fact]
    public async Task ReprocessFeed_QuarantinedFeedStillInvalid_422WithReportAndStaysQuarantined()
    {
        // A schema violation (producer missing) that no fix of the hub's own schemas or reference data can cure:
        // reprocessing validates again and says so, with the report.
        var pushed = await Api.PushSampleAsync("invalid/missing-producer.json");
        Assert.Equal(400, pushed.Status);
        var feedId = pushed.Json.GetProperty("feedId").GetString()!;
        var pushedErrors = Errors(pushed.Json.GetProperty("errors"));

        var quarantine = await Api.GetAsync("/api/ops/quarantine", Keys.Ops);
        Assert.Equal(200, quarantine.Status);
        var listed = Assert.Single(quarantine.Json.GetProperty("feeds").EnumerateArray(), f => f.GetProperty("feedId").GetString() == feedId);
        Assert.Equal("transport", listed.GetProperty("source").GetString());
        Assert.Equal(pushedErrors, Errors(listed.GetProperty("report").GetProperty("errors")));
        // The push's status URL, under the feed's source (README, "Following a feed").
        Assert.Equal($"/api/feeds/transport/{feedId}", pushed.Json.GetProperty("statusUrl").GetString());
        Assert.Equal($"/api/feeds/transport/{feedId}", listed.GetProperty("statusUrl").GetString());
        var transportOnly = await Api.GetAsync("/api/ops/quarantine?source=transport", Keys.Ops);
        Assert.All(transportOnly.Json.GetProperty("feeds").EnumerateArray(), f => Assert.Equal("transport", f.GetProperty("source").GetString()));
        AssertProblem(await Api.GetAsync("/api/ops/quarantine?source=water", Keys.Ops), 400);

        var reprocess = await Ops.ReprocessAsync(feedId);
        AssertProblem(reprocess, 422);
        Assert.Equal(pushedErrors, Errors(reprocess.Json.GetProperty("errors")));
        Assert.False(reprocess.Json.GetProperty("report").GetProperty("valid").GetBoolean());
        Assert.Equal($"/api/feeds/transport/{feedId}", reprocess.Json.GetProperty("statusUrl").GetString());
        var status = await Api.FeedStatusAsync(feedId);
        Assert.Equal("Quarantined", status.Json.GetProperty("state").GetString());

        AssertProblem(await Ops.ReprocessAsync("transport-2025-06-r0-0000000000000000"), 404);
        Assert.Contains(await Ops.AuditOfAsync(feedId), e => Is(e, "reprocess", "invalid", 422));
        var future = await Api.GetAsync("/api/ops/audit?since=2999-01-01T00:00:00Z", Keys.Ops);
        Assert.Equal(0, future.Json.GetProperty("entries").GetArrayLength());
        AssertProblem(await Api.GetAsync("/api/ops/audit?since=last-week", Keys.Ops), 400);
    }

    [Fact]
    public async Task QuarantineList_MoreFeedsThanAPage_EveryFeedReachableOnceAcrossPages_TokensBoundToTheirSource()
    {
        // Seven invalid environment feeds (distinct bytes), listed three a page: all seven reached, none twice.
        var pushed = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var body = System.Text.Encoding.UTF8.GetBytes($$"""{"source":"environment","note":"paging probe {{i}} {{Guid.NewGuid():N}}"}""");
            var answer = await Api.PushAsync("environment", body);
            Assert.Equal(400, answer.Status);
            pushed.Add(answer.Json.GetProperty("feedId").GetString()!);
        }

        foreach (var source in new[] { "environment", null })
        {
            var listed = new List<string>();
            string? token = null;
            var pages = 0;
            string? secondPageToken = null;
            do
            {
                var query =
                    $"/api/ops/quarantine?limit=3{(source is null ? "" : $"&source={source}")}{(token is null ? "" :
                        $"&continuationToken={Uri.EscapeDataString(token)}")}";
                var page = await Api.GetAsync(query, Keys.Ops);
                Assert.True(page.Status == 200, $"{query}: {page}");
                var feeds = page.Json.GetProperty("feeds").EnumerateArray().ToList();
                Assert.True(feeds.Count <= 3, $"A page of 3 listed {feeds.Count}");
                listed.AddRange(feeds.Select(f => f.GetProperty("feedId").GetString()!));
                token = page.Json.GetProperty("continuationToken").GetString();
                secondPageToken ??= token;
                pages++;
                Assert.True(pages < 500, "The pages never end.");
            }
            while (token is not null);

            Assert.True(listed.Count == listed.Distinct().Count(), $"A feed was listed twice: {string.Join(", ", listed)}");
            Assert.All(pushed, id => Assert.Contains(id, listed));
            Assert.True(pages >= 3, $"7 feeds at 3 a page take at least 3 pages; got {pages}");
            if (source is not null)
            {
                // A token is its source's: read under another filter it would skip or repeat feeds.
                AssertProblem(await Api.GetAsync($"/api/ops/quarantine?limit=3&source=transport&continuationToken={Uri.EscapeDataString(secondPageToken!)}",
                    Keys.Ops), 400);
            }
        }

        AssertProblem(await Api.GetAsync("/api/ops/quarantine?limit=201", Keys.Ops), 400);
        AssertProblem(await Api.GetAsync("/api/ops/quarantine?limit=0", Keys.Ops), 400);
        AssertProblem(await Api.GetAsync("/api/ops/quarantine?continuationToken=not-a-token", Keys.Ops), 400);
    }

    [Fact]
    public async Task BodyNamingAnotherSource_PushedToPowerGrid_FollowedByItsDepartmentListedAndReprocessedByOps()
    {
        // A transport feed sent to power-grid's URL (a department's misrouted file): quarantined under power-grid/,
        // with an id that names transport. One more byte than the sample, so the bytes are nobody else's.
        var sample = SampleFeed.Load("transport-2024-06-r0.json");
        var pushed = await Api.PushAsync("power-grid", [.. sample.Bytes, (byte)'\n'], Keys.PowerGrid);
        AssertProblem(pushed, 400);
        Assert.Contains(pushed.Json.GetProperty("errors").EnumerateArray(), e => e.GetProperty("keyword").GetString() == "rule:source-matches-url");
        var feedId = pushed.Json.GetProperty("feedId").GetString()!;
        Assert.StartsWith("transport-2024-06-r0-", feedId, StringComparison.Ordinal);
        var statusUrl = pushed.Json.GetProperty("statusUrl").GetString()!;
        Assert.Equal($"/api/feeds/power-grid/{feedId}", statusUrl);

        // The department that sent it follows it at the URL it was given; ops too. Transport does not see it.
        var own = await Api.GetAsync(statusUrl, Keys.PowerGrid);
        Assert.True(own.Status == 200, $"power-grid should follow its own push at {statusUrl}; got {own}");
        Assert.Equal(("Quarantined", "power-grid"), (own.Json.GetProperty("state").GetString(), own.Json.GetProperty("source").GetString()));
        Assert.Equal(200, (await Api.GetAsync(statusUrl, Keys.Ops)).Status);
        AssertProblem(await Api.GetAsync($"/api/feeds/transport/{feedId}", Keys.Transport), 404);

        // Ops find it in the quarantine of the department it was pushed to, and reprocessing reaches it (still invalid).
        var listed = new List<JsonElement>();
        string? token = null;
        do
        {
            var page =
                await Api.GetAsync($"/api/ops/quarantine?source=power-grid{(token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}")}",
                Keys.Ops);
            listed.AddRange(page.Json.GetProperty("feeds").EnumerateArray());
            token = page.Json.GetProperty("continuationToken").GetString();
        }
        while (token is not null);
        var entry = Assert.Single(listed, f => f.GetProperty("feedId").GetString() == feedId);
        Assert.Equal(("power-grid", statusUrl), (entry.GetProperty("source").GetString(), entry.GetProperty("statusUrl").GetString()));
        Assert.Equal($"landing/power-grid/{IntegrationHub.Core.Feeds.FeedId.ContentHash([.. sample.Bytes, (byte)'\n'])}.json",
            entry.GetProperty("landingBlob").GetString());
        Assert.Equal(Errors(pushed.Json.GetProperty("errors")), Errors(entry.GetProperty("report").GetProperty("errors")));
        var reprocess = await Ops.ReprocessAsync(feedId);
        AssertProblem(reprocess, 422);
        Assert.Equal(statusUrl, reprocess.Json.GetProperty("statusUrl").GetString());
    }

    [Fact]
    public async Task QuarantinedBody_DeletedByTheRetention_ReportStillListed_Reprocess410_StatusGone()
    {
        // What the lifecycle rule does after quarantinedBodyRetentionDays: the landing blob tagged state=Quarantined goes.
        var body = System.Text.Encoding.UTF8.GetBytes($$"""{"source":"statistics","note":"retention probe {{Guid.NewGuid():N}}"}""");
        var pushed = await Api.PushAsync("statistics", body);
        AssertProblem(pushed, 400);
        var feedId = pushed.Json.GetProperty("feedId").GetString()!;
        var landing =
            hub.Azurite.Blobs.GetBlobContainerClient("landing").GetBlobClient($"statistics/{IntegrationHub.Core.Feeds.FeedId.ContentHash(body)}.json");
        Assert.Equal("Quarantined", (await landing.GetTagsAsync()).Value.Tags["state"]);
        await landing.DeleteAsync();

        AssertProblem(await Api.GetAsync($"/api/feeds/statistics/{feedId}", Keys.Statistics), 404);
        var reprocess = await Ops.ReprocessAsync(feedId);
        AssertProblem(reprocess, 410);
        Assert.Contains($"quarantine/statistics/{feedId}.json", reprocess.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(await Ops.AuditOfAsync(feedId), e => Is(e, "reprocess", "gone", 410));

        // The record stays: listed with its report and the landing blob it had.
        var listed = new List<JsonElement>();
        string? token = null;
        do
        {
            var page =
                await Api.GetAsync($"/api/ops/quarantine?source=statistics{(token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}")}",
                Keys.Ops);
            listed.AddRange(page.Json.GetProperty("feeds").EnumerateArray());
            token = page.Json.GetProperty("continuationToken").GetString();
        }
        while (token is not null);
        var entry = Assert.Single(listed, f => f.GetProperty("feedId").GetString() == feedId);
        Assert.Equal($"landing/{landing.Name}", entry.GetProperty("landingBlob").GetString());
        Assert.Equal(Errors(pushed.Json.GetProperty("errors")), Errors(entry.GetProperty("report").GetProperty("errors")));
        Assert.Equal(pushed.Json.GetProperty("errors").GetArrayLength(), entry.GetProperty("errors").GetInt32());
    }

    [Fact]
    public async Task InstanceActions_HangingPull_SuspendResumeTerminateReplayPurgeAnd409sOnWrongStates()
    {
        const string instanceId = "pull:statistics:2025-Q1";
        await hub.Simulators.ResetAsync();
        await hub.Simulators.SetModeAsync("statistics", "hang", null);
        try
        {
            Assert.Equal(instanceId, await Api.StartPullAcceptedAsync("statistics", "2025-Q1"));
            await Ops.WaitForStatusAsync(instanceId, "Running");

            // Wrong states first: a running instance cannot be resumed, purged, replayed or rewound.
            foreach (var (answer, action) in new[]
            {
                (await Ops.ActAsync(instanceId, "resume"), "resume"), (await Ops.PurgeAsync(instanceId), "purge"),
                (await Ops.ActAsync(instanceId, "replay"), "replay"), (await Ops.ActAsync(instanceId, "rewind"), "rewind"),
            })
            {
                AssertProblem(answer, 409);
                Assert.True(answer.Json.GetProperty("runtimeStatus").GetString() is "Running" or "Pending", $"{action}: {answer}");
            }

            Assert.Equal(202, (await Ops.ActAsync(instanceId, "suspend", body: new { reason = "statistics API hangs" })).Status);
            await Ops.WaitForStatusAsync(instanceId, "Suspended");
            AssertProblem(await Ops.ActAsync(instanceId, "suspend"), 409);
            Assert.Equal(202, (await Ops.ActAsync(instanceId, "resume")).Status);
            await Ops.WaitForStatusAsync(instanceId, "Running");

            var terminate = await PostWithQueryAsync("terminate?reason=" + Uri.EscapeDataString("statistics API down for maintenance"));
            Assert.True(terminate.Status == 202, $"{terminate}");
            var terminated = await Ops.WaitForStatusAsync(instanceId, "Terminated");
            Assert.Contains("maintenance", terminated.GetProperty("output").GetString(), StringComparison.Ordinal);
            Assert.Equal(["replay", "purge"], StringsOf(terminated.GetProperty("actions")));
            AssertProblem(await Ops.ActAsync(instanceId, "terminate"), 409);
            AssertProblem(await Ops.ActAsync(instanceId, "rewind"), 409);
        }
        finally
        {
            await hub.Simulators.ResetAsync();
        }

        // The terminated run's fetch is still hanging until its 5 s timeout. The local sidecar keys an activity by
        // instance id and task number, so a replay's first fetch would collide with it: let it end first.
        await Task.Delay(TimeSpan.FromSeconds(6));

        // A terminated instance replays like a failed one, from its input; a finished one is purged.
        Assert.Equal(202, (await Ops.ActAsync(instanceId, "replay")).Status);
        var replayed = await Api.WaitForInstanceAsync(instanceId);
        Assert.True(replayed.Status == "Completed", $"{replayed}");
        var purge = await Ops.PurgeAsync(instanceId);
        Assert.True(purge.Status == 200, $"{purge}");
        Assert.Equal(1, purge.Json.GetProperty("purgedInstances").GetInt32());
        AssertProblem(await Ops.DetailAsync(instanceId), 404);
        AssertProblem(await Ops.PurgeAsync(instanceId), 404);
        AssertProblem(await Ops.ActAsync(instanceId, "suspend"), 404);

        var audit = await Ops.AuditOfAsync(instanceId);
        foreach (var (action, outcome, status) in new[]
        {
            ("resume", "refused", 409), ("purge", "refused", 409), ("replay", "refused", 409), ("rewind", "refused", 409),
            ("suspend", "accepted", 202), ("suspend", "refused", 409), ("resume", "accepted", 202), ("terminate", "accepted", 202),
            ("terminate", "refused", 409), ("replay", "accepted", 202), ("purge", "done", 200), ("purge", "not-found", 404), ("suspend", "not-found", 404),
        })
        {
            Assert.True(audit.Any(e => Is(e, action, outcome, status)),
                $"The audit log should record {action} {outcome} {status}: {string.Join(Environment.NewLine, audit)}");
        }

        Assert.Contains(audit, e => Is(e, "terminate", "accepted", 202) && e.GetProperty("detail").GetString()!.Length > 0);

        Task<HubAnswer> PostWithQueryAsync(string actionAndQuery) =>
            Api.SendAsync(HttpMethod.Post, $"/api/ops/instances/{OpsApi.Escape(instanceId)}/{actionAndQuery}",
            Keys.Ops);
    }

    [Fact]
    public async Task ListInstances_PageSizeOneWithContinuationTokens_WalksEveryMatchOnce()
    {
        foreach (var period in new[] { "2024-04", "2024-05" })
        {
            await Api.StartPullAcceptedAsync("environment", period);
        }

        foreach (var period in new[] { "2024-04", "2024-05" })
        {
            var pull = await Api.WaitForInstanceAsync($"pull:environment:{period}");
            Assert.True(pull.Status == "Completed", $"{pull}");
            var processing = await Api.WaitForInstanceAsync(pull.OutputJson.Prop("processingInstanceId").GetString()!);
            Assert.True(processing.Status == "Completed", $"{processing}");
        }

        var walked = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page =
                await Ops.ListAsync($"?prefix=pull:environment:2024-0&name=PullFeed&pageSize=1{(token is null ? "" :
                    "&continuationToken=" + Uri.EscapeDataString(token))}");
            Assert.True(page.Status == 200, $"{page}");
            walked.AddRange(page.Json.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!));
            token = page.Json.GetProperty("continuationToken").GetString();
            Assert.True(++pages <= 10, "The continuation tokens should come to an end.");
        }
        while (token is not null);

        Assert.Equal(["pull:environment:2024-04", "pull:environment:2024-05"], walked.Order(StringComparer.Ordinal));

        var completed = await Ops.ListAsync("?status=Completed&name=ProcessFeed&prefix=feed:environment:2024-0");
        Assert.Equal(2, completed.Json.GetProperty("instances").GetArrayLength());
        Assert.All(completed.Json.GetProperty("instances").EnumerateArray(), i => Assert.Equal("ProcessFeed", i.GetProperty("name").GetString()));
        AssertProblem(await Ops.ListAsync("?status=Sleeping"), 400);
        AssertProblem(await Ops.ListAsync("?pageSize=0"), 400);
        AssertProblem(await Ops.ListAsync("?from=yesterday"), 400);
    }

    [Fact]
    public async Task ListInstances_StartedInIdOrder_NewestFirstAcrossPages_AndAuditFilteredAndPaged()
    {
        // Started in id order, so the newest has the highest id: the task hub lists by id, oldest of these first.
        string[] started = ["pull:transport:2025-01", "pull:transport:2025-02", "pull:transport:2025-03"];
        foreach (var id in started)
        {
            Assert.Equal(id, await Api.StartPullAcceptedAsync("transport", id[^7..]));
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        foreach (var id in started)
        {
            Assert.True((await Api.WaitForInstanceAsync(id)).IsTerminal);
        }

        var first = await Ops.ListAsync("?prefix=pull:transport:2025-0&pageSize=2");
        Assert.True(first.Status == 200, $"{first}");
        Assert.Equal(["pull:transport:2025-03", "pull:transport:2025-02"], Ids(first));
        var token = first.Json.GetProperty("continuationToken").GetString();
        Assert.NotNull(token);
        var second = await Ops.ListAsync($"?prefix=pull:transport:2025-0&pageSize=2&continuationToken={Uri.EscapeDataString(token)}");
        Assert.Equal(["pull:transport:2025-01"], Ids(second));
        Assert.Equal(JsonValueKind.Null, second.Json.GetProperty("continuationToken").ValueKind);
        AssertProblem(await Ops.ListAsync("?continuationToken=not-a-token"), 400);

        // Unfiltered, a few at a time: every instance of the hub once, each page older than the one before.
        var all = new List<(string Id, DateTimeOffset CreatedAt)>();
        token = null;
        var pages = 0;
        do
        {
            var page = await Ops.ListAsync($"?pageSize=3{(token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token))}");
            Assert.True(page.Status == 200, $"{page}");
            all.AddRange(page.Json.GetProperty("instances").EnumerateArray().Select(i =>
                (i.GetProperty("instanceId").GetString()!, i.GetProperty("createdAt").GetDateTimeOffset())));
            token = page.Json.GetProperty("continuationToken").GetString();
            Assert.True(++pages <= 200, "The continuation tokens should come to an end.");
        }
        while (token is not null);

        Assert.Equal(all.Count, all.Select(i => i.Id).Distinct().Count());
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.CreatedAt >= p.Second.CreatedAt), string.Join(Environment.NewLine, all));
        Assert.Subset(all.Select(i => i.Id).ToHashSet(), started.ToHashSet());

        // The audit log, read by target and action, two at a time: newest first, then the rest.
        foreach (var _ in started)
        {
            AssertProblem(await Ops.ActAsync(started[0], "replay"), 409);
        }

        var query = $"/api/ops/audit?target={Uri.EscapeDataString(started[0])}&action=replay&outcome=refused&actor=ops";
        var auditFirst = await Api.GetAsync(query + "&limit=2", Keys.Ops);
        Assert.True(auditFirst.Status == 200, $"{auditFirst}");
        var entries = auditFirst.Json.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        var auditToken = auditFirst.Json.GetProperty("continuationToken").GetString();
        Assert.NotNull(auditToken);
        var auditSecond = await Api.GetAsync(query + $"&limit=2&continuationToken={Uri.EscapeDataString(auditToken)}", Keys.Ops);
        entries.AddRange(auditSecond.Json.GetProperty("entries").EnumerateArray());
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.True(Is(e, "replay", "refused", 409) && e.GetProperty("target").GetString() == started[0], $"{e}"));
        var times = entries.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
        Assert.Equal(JsonValueKind.Null, auditSecond.Json.GetProperty("continuationToken").ValueKind);

        // Each filter narrows on the hub's side: another outcome, actor or time range holds none of them.
        var at = Uri.EscapeDataString(times[^1].AddMilliseconds(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var narrower in new[] { "&outcome=accepted", "&actor=transport", $"&to={at}" })
        {
            var none = await Api.GetAsync(
                query.Replace("&outcome=refused", "", StringComparison.Ordinal).Replace("&actor=ops", "", StringComparison.Ordinal) + narrower,
                Keys.Ops);
            Assert.True(none.Status == 200 && none.Json.GetProperty("entries").GetArrayLength() == 0, $"{narrower}: {none}");
        }

        var from = Uri.EscapeDataString(times[0].ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, (await Api.GetAsync(query + $"&from={from}", Keys.Ops)).Json.GetProperty("entries").GetArrayLength());
        AssertProblem(await Api.GetAsync("/api/ops/audit?continuationToken=nonsense", Keys.Ops), 400);
        AssertProblem(await Api.GetAsync("/api/ops/audit?to=tomorrow", Keys.Ops), 400);

        static List<string> Ids(HubAnswer page) =>
            [.. page.Json.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!)];
    }

    [Fact]
    public async Task OpsRoutes_DepartmentKey_403AndNoKey_401AndNothingDoneOrAudited()
    {
        const string target = "pull:transport:2099-01";
        var routes = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Get, "/api/ops/instances"),
            (HttpMethod.Get, $"/api/ops/instances/{target}"),
            (HttpMethod.Post, $"/api/ops/instances/{target}/replay"),
            (HttpMethod.Post, $"/api/ops/instances/{target}/rewind"),
            (HttpMethod.Post, $"/api/ops/instances/{target}/terminate"),
            (HttpMethod.Post, $"/api/ops/instances/{target}/suspend"),
            (HttpMethod.Post, $"/api/ops/instances/{target}/resume"),
            (HttpMethod.Delete, $"/api/ops/instances/{target}"),
            (HttpMethod.Post, "/api/ops/replay-failed"),
            (HttpMethod.Post, $"/api/ops/feeds/{target}/reprocess"),
            (HttpMethod.Get, "/api/ops/quarantine"),
            (HttpMethod.Get, "/api/ops/audit"),
        };
        foreach (var (method, path) in routes)
        {
            foreach (var key in new[] { Keys.Transport, Keys.Statistics })
            {
                var answer = await Api.SendAsync(method, path, key);
                Assert.True(answer.Status == 403 && answer.MediaType == "application/problem+json", $"{method} {path} with a department key: {answer}");
            }

            var anonymous = await Api.SendAsync(method, path, key: null);
            Assert.True(anonymous.Status == 401 && anonymous.MediaType == "application/problem+json", $"{method} {path} without a key: {anonymous}");
        }

        Assert.Empty(await Ops.AuditOfAsync(target));
        Assert.Equal(404, (await Ops.DetailAsync(target)).Status);
    }

    [Fact]
    public async Task InstanceDetail_CustomStatusAndOutput_AreCamelCase()
    {
        // The names the console reads (customStatus.stage) and scripts read (output.outcome): one naming policy, the
        // app's, for the Durable data of both hosts.
        var feed = SampleFeed.Load("transport-2024-11-r0.json");
        var instanceId = FeedInstanceId(feed);
        Assert.Equal(feed.FeedId, await Api.PushAcceptedAsync(feed.Name));

        var detail = await Ops.WaitForStatusAsync(instanceId, "Completed");

        var custom = Payload(detail, "customStatus");
        Assert.True(custom.TryGetProperty("stage", out var stage) && stage.GetString() == "handed to consolidation", OpsApi.Describe(detail));
        Assert.True(custom.TryGetProperty("feedId", out var customFeedId) && customFeedId.GetString() == feed.FeedId, OpsApi.Describe(detail));
        Assert.True(custom.TryGetProperty("consolidations", out _), OpsApi.Describe(detail));
        var output = Payload(detail, "output");
        Assert.True(output.TryGetProperty("outcome", out var outcome) && outcome.GetString() == "Recorded", OpsApi.Describe(detail));
        Assert.True(output.TryGetProperty("feedId", out var outputFeedId) && outputFeedId.GetString() == feed.FeedId, OpsApi.Describe(detail));
        Assert.True(output.TryGetProperty("datasetVersions", out _), OpsApi.Describe(detail));
        Assert.DoesNotContain(custom.EnumerateObject().Concat(output.EnumerateObject()), p => char.IsUpper(p.Name[0]));
    }

    // A serialised payload of the instance detail (a JSON text), parsed.
    private static JsonElement Payload(JsonElement detail, string name)
    {
        var value = detail.GetProperty(name);
        return value.ValueKind == JsonValueKind.String ? JsonDocument.Parse(value.GetString()!).RootElement.Clone() : value;
    }

    private static string FeedInstanceId(SampleFeed feed) => $"feed:{feed.Source}:{feed.Period}:{feed.FeedId[^16..]}";

    private static bool Is(JsonElement entry, string action, string outcome, int status) =>
        entry.GetProperty("action").GetString() == action && entry.GetProperty("outcome").GetString() == outcome
            && entry.GetProperty("status").GetInt32() == status;

    private static void AssertProblem(HubAnswer answer, int status) =>
        Assert.True(answer.Status == status && answer.MediaType == "application/problem+json", $"Expected a {status} problem; got {answer}");

    private static List<string> StringsOf(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static List<string> InputsOf(JsonElement dataset) =>
        [.. dataset.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("feedId").GetString()!)];

    private static List<string> Errors(JsonElement errors) =>
        [.. errors.EnumerateArray().Select(e =>
            $"{e.GetProperty("instanceLocation").GetString()} {e.GetProperty("keyword").GetString()}").Order(StringComparer.Ordinal)];
}
