using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using System.Text.Json;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.EndToEnd;

/// <summary>
/// The hub end to end on real components: HTTP to the local host, the Durable Task engine on a real Azurite, the
/// department simulators over HTTP, subscriber queues on the Azurite. One hub for the class; each test works on
/// periods of its own, so the order the tests run in does not matter:
/// 2024-Q1 (and the 2024 year) push and pull; 2024-Q3 the invalid feed; 2024-Q4 the revision; 2025-07 the
/// concurrent push; 2025-05 the failing department; credentials use feeds that start nothing.
/// </summary>
public sealed class PipelineEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    private HubApi Api => hub.Api;

    [Fact]
    public async Task PushAndPull_AllFourSourcesOfAQuarter_CompleteDatasetAnnouncedToMatchingSubscribers()
    {
        // Monthly feeds first: environment pushed, power grid and transport pulled from the simulators.
        var monthly = new List<string>();
        foreach (var month in new[] { "01", "02", "03" })
        {
            monthly.Add(await Api.PushAcceptedAsync($"environment-2024-{month}-r0.json"));
        }

        var pulls = new List<(string Instance, SampleFeed Served)>();
        foreach (var source in new[] { "power-grid", "transport" })
        {
            foreach (var month in new[] { "01", "02", "03" })
            {
                pulls.Add((await Api.StartPullAcceptedAsync(source, $"2024-{month}"), SampleFeed.Latest(source, $"2024-{month}")));
            }
        }

        foreach (var (instanceId, served) in pulls)
        {
            var pulled = await PulledFeedIdAsync(instanceId);
            Assert.Equal(served.FeedId, pulled);
            monthly.Add(pulled);
        }

        foreach (var feedId in monthly)
        {
            await Api.WaitForFeedConsolidatedAsync(feedId);
        }

        // The statistics quarter last: its version is then the one that adds the energy and fossil-carbon figures.
        var statistics = await Api.PushAcceptedAsync("statistics-2024-Q1-r0.json");
        var statisticsStatus = await Api.WaitForFeedConsolidatedAsync(statistics);
        AssertNoneFailed(await Api.WaitUntilQuietAsync());

        var dataset = (await Api.DatasetAsync("2024-Q1"))!.Value;
        var latest = dataset.GetProperty("version").GetInt32();
        Assert.Equal("complete", dataset.GetProperty("status").GetString());
        var inputs = dataset.GetProperty("inputs").EnumerateArray().ToList();
        Assert.Equal(monthly.Append(statistics).Order().ToList(), inputs.Select(i => i.GetProperty("feedId").GetString()!).Order().ToList());
        Assert.Equal(
            ["environment:2024-01", "environment:2024-02", "environment:2024-03", "power-grid:2024-01", "power-grid:2024-02", "power-grid:2024-03",
             "statistics:2024-Q1", "transport:2024-01", "transport:2024-02", "transport:2024-03"],
            inputs.Select(i => $"{i.GetProperty("source").GetString()}:{i.GetProperty("period").GetString()}").Order(StringComparer.Ordinal).ToList());
        Assert.Contains($"2024-Q1/v{latest}", StringsOf(statisticsStatus.GetProperty("datasets")));

        // Announcements: every subscriber got exactly the versions its filter matches, each event describing its version.
        var versions = await PublishedDatasets.ReadAllAsync(Api);
        var expected = PublishedDatasets.Announcements(versions);
        var inbox = await hub.Inbox.DrainAsync();
        foreach (var subscriber in hub.Inbox.Subscribers)
        {
            var got = inbox[subscriber.Name];
            var wanted = expected.Where(a => a.IsFor(subscriber)).Select(a => a.Version.EventId).ToHashSet();
            var gotIds = got.Select(e => e.Id).ToHashSet();
            Assert.True(wanted.SetEquals(gotIds),
                $"{subscriber.Queue}: expected {string.Join(", ", wanted.Order())}; received {string.Join(", ", gotIds.Order())}");
            foreach (var received in got)
            {
                await AssertDescribesAsync(received, expected);
            }
        }

        // Worked out by hand from subscribers.json and the feeds: the dashboard takes everything; the statistics bureau
        // only years, and every year version there is (the 2024 year exists: the monthly feeds feed it); the carbon desk
        // never a year; the Yuelu energy office needs an energy.* figure of 430104. Since data set 2.0 the grid alone
        // gives one (energy.nonFossilTce = non-fossil MWh × c_y, and the grid share), so of 2024-Q1 and of the year it
        // gets every version that took in a power-grid month (each moves E and PV of 430104's streets) and the
        // statistics version; transport and environment feeds move no energy.* figure.
        var all = versions.Select(v => v.EventId).ToHashSet();
        Assert.True(all.SetEquals(inbox["dual-carbon-dashboard"].Select(e => e.Id)), "The dashboard takes every version.");
        var years = versions.Where(v => v.Period == "2024").Select(v => v.EventId).ToHashSet();
        Assert.NotEmpty(years);
        Assert.All(inbox["statistics-bureau-annual"], e => Assert.DoesNotContain("-", e.Period, StringComparison.Ordinal));
        Assert.Superset(years, inbox["statistics-bureau-annual"].Select(e => e.Id).ToHashSet());
        Assert.All(inbox["carbon-market-desk"], e => Assert.Contains("-Q", e.Period, StringComparison.Ordinal));
        Assert.Contains($"2024-Q1/v{latest}", inbox["carbon-market-desk"].Select(e => e.Id));
        var energyVersions = versions
            .Where(v => v.Period is "2024-Q1" or "2024")
            .Where(v => NewInputs(versions, v)
                .Any(f => f.StartsWith("power-grid-", StringComparison.Ordinal) || f.StartsWith("statistics-", StringComparison.Ordinal)))
            .Select(v => v.EventId)
            .ToHashSet();
        Assert.Contains($"2024-Q1/v{latest}", energyVersions);
        Assert.True(energyVersions.SetEquals(inbox["yuelu-energy-office"].Where(e => e.Period is "2024-Q1" or "2024").Select(e => e.Id)),
            $"Yuelu energy office: expected {string.Join(", ", energyVersions.Order())}");
    }

    /// <summary>The feeds a version took in that the period's previous published version did not have.</summary>
    private static IEnumerable<string> NewInputs(IEnumerable<DatasetVersionView> versions, DatasetVersionView version)
    {
        var previous = versions.Where(v => v.Period == version.Period && v.Version < version.Version).MaxBy(v => v.Version);
        return version.InputFeedIds.Except(previous?.InputFeedIds ?? []);
    }

    [Fact]
    public async Task PushFeed_SchemaInvalid_400ProblemWithPointersAndQuarantinedWithoutDataset()
    {
        // number-as-string: statistics 2024-Q3 with gdp10kCny sent as a string (a JSON Schema "type" violation).
        var feed = SampleFeed.Load("invalid/number-as-string.json");
        var expectedErrors = ExpectedErrors("invalid/number-as-string.expected.json");

        var answer = await Api.PushAsync(feed.Source, feed.Bytes);

        AssertProblem(answer, 400);
        var problem = answer.Json;
        Assert.Equal(expectedErrors, ErrorsOf(problem.GetProperty("errors")));
        Assert.All(problem.GetProperty("errors").EnumerateArray(), e =>
            Assert.True(feed.Json.TryResolvePointer(e.GetProperty("instanceLocation").GetString()!, out _), $"{e} does not point into the feed."));
        var feedId = problem.GetProperty("feedId").GetString()!;
        Assert.Equal(feed.FeedId, feedId);

        var status = await Api.FeedStatusAsync(feedId, Keys.Statistics);
        Assert.Equal(200, status.Status);
        Assert.Equal("Quarantined", status.Json.GetProperty("state").GetString());
        var report = status.Json.GetProperty("report");
        Assert.False(report.GetProperty("valid").GetBoolean());
        Assert.Equal(expectedErrors, ErrorsOf(report.GetProperty("errors")));
        Assert.Empty(StringsOf(status.Json.GetProperty("datasets")));

        Assert.Empty(await Api.InstancesAsync("feed:statistics:2024-Q3:"));
        Assert.Null(await Api.DatasetAsync("2024-Q3"));
        Assert.DoesNotContain("2024-Q3", await Api.DatasetPeriodsAsync());
        var inbox = await hub.Inbox.DrainAsync();
        Assert.DoesNotContain(inbox.Values.SelectMany(events => events), e => e.Period == "2024-Q3");
    }

    [Fact]
    public async Task PushFeed_RevisionOfConsolidatedQuarter_NewVersionWithDiffOfChangedIndicators()
    {
        var grid = new List<string>();
        foreach (var month in new[] { "10", "11", "12" })
        {
            grid.Add(await Api.PushAcceptedAsync($"power-grid-2024-{month}-r0.json"));
        }

        var r0 = await Api.PushAcceptedAsync("statistics-2024-Q4-r0.json");
        foreach (var feedId in grid.Append(r0))
        {
            await Api.WaitForFeedConsolidatedAsync(feedId);
        }

        AssertNoneFailed(await Api.WaitUntilQuietAsync());
        var before = (await Api.DatasetAsync("2024-Q4"))!.Value;
        var n = before.GetProperty("version").GetInt32();
        Assert.Equal(grid.Append(r0).Order(), PublishedDatasets.InputsOf(before).Order());

        var r1 = await Api.PushAcceptedAsync("statistics-2024-Q4-r1.json");
        var r1Status = await Api.WaitForFeedConsolidatedAsync(r1);
        AssertNoneFailed(await Api.WaitUntilQuietAsync());

        var after = (await Api.DatasetAsync("2024-Q4"))!.Value;
        Assert.Equal(n + 1, after.GetProperty("version").GetInt32());
        Assert.Contains($"2024-Q4/v{n + 1}", StringsOf(r1Status.GetProperty("datasets")));
        // The latest revision of a source and period replaces the earlier one.
        Assert.Equal(grid.Append(r1).Order(), PublishedDatasets.InputsOf(after).Order());

        var diff = after.GetProperty("diff");
        Assert.Equal(n, diff.GetProperty("previousVersion").GetInt32());
        Assert.Equal([r1], StringsOf(diff.GetProperty("changedInputs")));
        var changes = ChangesOf(diff.GetProperty("changedIndicators"));
        var expected = RevisionQ4.ChangedIndicators();
        Assert.True(expected.SetEquals(changes.Keys),
            $"Unexpected: {string.Join(", ", changes.Keys.Except(expected))}; missing: {string.Join(", ", expected.Except(changes.Keys))}");
        var (old, @new) = (new DatasetVersionView("2024-Q4", n, before).Figures, new DatasetVersionView("2024-Q4", n + 1, after).Figures);
        Assert.All(changes, c => Assert.Equal((old[c.Key], (double?)@new[c.Key]), (c.Value.Old, c.Value.New)));

        var query = await Api.GetAsync($"/api/datasets/2024-Q4/diff?from={n}&to={n + 1}");
        Assert.Equal(200, query.Status);
        Assert.Equal(n, query.Json.GetProperty("from").GetInt32());
        Assert.Equal(n + 1, query.Json.GetProperty("to").GetInt32());
        Assert.Equal([r1], StringsOf(query.Json.GetProperty("changedInputs")));
        Assert.Equal(changes, ChangesOf(query.Json.GetProperty("changedIndicators")));
    }

    [Fact]
    public async Task PushFeed_SameBytesTwiceConcurrently_OneAcceptedOneDuplicateAndOneRun()
    {
        var feed = SampleFeed.Load("environment-2025-07-r0.json");

        var answers = await Task.WhenAll(Api.PushAsync(feed.Source, feed.Bytes), Api.PushAsync(feed.Source, feed.Bytes));

        // PushFeedFunction: 202 for the receiver that records the verdict, 200 with duplicate=true for the same bytes again.
        Assert.Equal([200, 202], answers.Select(a => a.Status).Order());
        Assert.All(answers, a => Assert.Equal(feed.FeedId, a.Json.GetProperty("feedId").GetString()));
        Assert.True(answers.Single(a => a.Status == 200).Json.GetProperty("duplicate").GetBoolean());
        Assert.Single(await Api.InstancesAsync("feed:environment:2025-07:"));

        await Api.WaitForFeedConsolidatedAsync(feed.FeedId);
        var run = await Api.WaitForInstanceAsync(Assert.Single(await Api.InstancesAsync("feed:environment:2025-07:")).InstanceId);
        Assert.Equal("Completed", run.Status);
        Assert.Single(await Api.InstancesAsync("feed:environment:2025-07:"));
        Assert.Equal(feed.FeedId, run.OutputJson.Prop("feedId").GetString());
        // The duplicate's log line says what happened to the run: it was there, so nothing was started.
        Assert.Single(hub.Logs.Containing($"Feed {feed.FeedId} from environment received again; its verdict was recorded before, its run exists"));
    }

    [Fact]
    public async Task PushFeed_LandedButItsRunNeverStarted_SentAgainAnswersDuplicateStartsTheRunAndSaysSo()
    {
        // What a power loss between landing and starting leaves: the bytes landed with their verdict (by the hub's own
        // intake, on the hub's storage), no run. The department pushes again, as docs/reliability.md tells it to.
        var feed = SampleFeed.Load("environment-2025-06-r0.json");
        var blobs = hub.Azurite.Blobs;
        var starter =
            new IntegrationHub.Functions.Durable.OrchestrationStarter(
            blobs, TimeProvider.System, NullLogger<IntegrationHub.Functions.Durable.OrchestrationStarter>.Instance);
        var intake = new IntegrationHub.Functions.Intake.FeedIntake(
            new IntegrationHub.Functions.Storage.FeedStore(blobs), new IntegrationHub.Core.HubCore(requireRegexTimeout: false).Validator,
            new IntegrationHub.Functions.Intake.FeedProcessing(starter, NullLogger<IntegrationHub.Functions.Intake.FeedProcessing>.Instance),
            new IntegrationHub.Functions.Storage.ConsolidationRecords(blobs), new IntegrationHub.Functions.Storage.DatasetStore(blobs),
            hub.Hub!.Services.GetRequiredService<IntegrationHub.Functions.Receipts.ReceiptIssuer>(), TimeProvider.System,
            NullLogger<IntegrationHub.Functions.Intake.FeedIntake>.Instance);
        Assert.Equal(
            IntegrationHub.Functions.Intake.IntakeVerdict.Accepted, (await intake.LandAsync(feed.Source, feed.Bytes, "push", CancellationToken.None)).Verdict);
        Assert.Empty(await Api.InstancesAsync("feed:environment:2025-06:"));

        var again = await Api.PushAsync(feed.Source, feed.Bytes);

        Assert.Equal(200, again.Status);
        Assert.True(again.Json.GetProperty("duplicate").GetBoolean());
        await Api.WaitForFeedConsolidatedAsync(feed.FeedId);
        Assert.Single(
            hub.Logs.Containing(
            $"Feed {feed.FeedId} from environment received again; its verdict was recorded before, its run was missing and is started now"));
    }

    [Fact]
    public async Task StartPull_DepartmentFailsTwiceThenAnswers_RetriedAndConsolidated()
    {
        await hub.Simulators.ResetAsync();
        await hub.Simulators.SetModeAsync("transport", "fail", 2);
        InstanceState pull;
        SimulatorCounters counters;
        string instanceId;
        try
        {
            instanceId = await Api.StartPullAcceptedAsync("transport", "2025-05");
            pull = await Api.WaitForInstanceAsync(instanceId);
            counters = await hub.Simulators.CountersAsync("transport");
        }
        finally
        {
            // A failure left unused must not fail another test's pull.
            await hub.Simulators.ResetAsync();
        }

        Assert.True(pull.Status == "Completed",
            $"The pull should complete after two failures; {pull}; simulator counters: {counters}{Environment.NewLine}{await Api.DiagnosticsAsync()}");
        Assert.True(counters is { Total: 3, Hung: 0 } && counters.WithStatus(500) == 2 && counters.WithStatus(200) == 1,
            $"transport should have answered 500, 500, 200; counters: {counters}");

        var feedId = await PulledFeedIdAsync(instanceId);
        Assert.Equal(SampleFeed.Latest("transport", "2025-05").FeedId, feedId);
        var status = await Api.WaitForFeedConsolidatedAsync(feedId);
        var consolidatedInto = StringsOf(status.GetProperty("datasets"));
        Assert.Equal(["2025", "2025-Q2"], consolidatedInto.Select(v => v.Split('/')[0]).Order(StringComparer.Ordinal));
        foreach (var period in new[] { "2025-Q2", "2025" })
        {
            Assert.Contains(feedId, PublishedDatasets.InputsOf((await Api.DatasetAsync(period))!.Value));
        }
    }

    [Fact]
    public async Task PushFeed_UnknownKey_401ProblemAndNothingReceived()
    {
        var feed = SampleFeed.Load("statistics-2025-Q2-r0.json");

        var answer = await Api.PushAsync(feed.Source, feed.Bytes, "not-a-key");

        AssertProblem(answer, 401);
        Assert.Equal(404, (await Api.FeedStatusAsync(feed.FeedId)).Status);
        var withoutKey = await Api.SendAsync(HttpMethod.Post, "/api/feeds/statistics", key: null, feed.Bytes);
        AssertProblem(withoutKey, 401);
    }

    [Fact]
    public async Task PushFeed_StatisticsKeyToTransport_403ProblemAndNothingReceived()
    {
        var feed = SampleFeed.Load("transport-2025-06-r0.json");

        var answer = await Api.PushAsync("transport", feed.Bytes, Keys.Statistics);

        AssertProblem(answer, 403);
        Assert.Equal(404, (await Api.FeedStatusAsync(feed.FeedId)).Status);
    }

    [Fact]
    public async Task GetFeedStatus_AnotherDepartmentsKey_403Problem()
    {
        // A transport feed that is quarantined on arrival: it has a status but starts no run.
        var pushed = await Api.PushSampleAsync("invalid/missing-producer.json");
        Assert.Equal(400, pushed.Status);
        var feedId = pushed.Json.GetProperty("feedId").GetString()!;

        AssertProblem(await Api.FeedStatusAsync(feedId, Keys.Statistics), 403);
        Assert.Equal(200, (await Api.FeedStatusAsync(feedId, Keys.Transport)).Status);
        Assert.Equal(200, (await Api.FeedStatusAsync(feedId, Keys.Ops)).Status);
    }

    [Fact]
    public async Task OpsSurface_DepartmentKey_403Problem()
    {
        AssertProblem(await Api.GetAsync("/api/ops/instances", Keys.Statistics), 403);
        AssertProblem(await Api.GetAsync("/api/ops/instances?prefix=feed:", Keys.PowerGrid), 403);
        AssertProblem(await Api.GetAsync("/api/ops/instances/consolidate%3A2024-Q1", Keys.Environment), 403);
        AssertProblem(await Api.StartPullAsync("transport", "2025-06", Keys.Transport), 403);
        Assert.Empty(await Api.InstancesAsync("pull:transport:2025-06"));
        Assert.Equal(200, (await Api.GetAsync("/api/ops/instances", Keys.Ops)).Status);
    }

    /// <summary>Waits for a pull to finish, then for the ProcessFeed run it handed the feed to, and returns that run's feed id.</summary>
    private async Task<string> PulledFeedIdAsync(string pullInstanceId)
    {
        var pull = await Api.WaitForInstanceAsync(pullInstanceId);
        Assert.True(pull.Status == "Completed", $"Pull {pull}");
        Assert.Equal("Received", pull.OutputJson.Prop("outcome").GetString());
        var processing = await Api.WaitForInstanceAsync(pull.OutputJson.Prop("processingInstanceId").GetString()!);
        Assert.True(processing.Status == "Completed", $"Processing {processing}");
        Assert.Equal("Recorded", processing.OutputJson.Prop("outcome").GetString());
        var feedId = processing.OutputJson.Prop("feedId").GetString()!;
        await Api.WaitForFeedConsolidatedAsync(feedId);
        return feedId;
    }

    /// <summary>The envelope of the contract, and data that say what the version changed (worked out from the versions).</summary>
    private async Task AssertDescribesAsync(PublishedEvent received, IReadOnlyList<ExpectedAnnouncement> expected)
    {
        Assert.Equal("1.0", received.Attribute("specversion"));
        Assert.Equal("cn.xiangjiang.dualcarbon.dataset.published", received.Attribute("type"));
        Assert.Equal("/integration-hub", received.Attribute("source"));
        Assert.Equal("application/json", received.Attribute("datacontenttype"));
        Assert.Equal(received.Period, received.Attribute("subject"));
        Assert.Equal($"{received.Period}/v{received.Version}", received.Id);

        var announcement = expected.SingleOrDefault(a => a.Version.EventId == received.Id);
        Assert.True(announcement is not null, $"{received.Queue} holds {received.Id}, which is not a published version.");
        Assert.Equal(announcement.Version.Document.GetProperty("status").GetString(), received.Data.GetProperty("status").GetString());
        Assert.True(
            announcement.Changed.SetEquals(received.ChangedIndicators), $"{received.Id}: changedIndicators differ from what changed between the versions.");
        Assert.True(
            announcement.Areas.SetEquals(received.Areas),
            $"{received.Id}: areas [{string.Join(",", received.Areas)}], expected [{string.Join(",", announcement.Areas)}].");
        var url = await Api.GetAsync(received.Data.GetProperty("url").GetString()!);
        Assert.True(url.Status == 200 && url.Json.GetProperty("version").GetInt32() == received.Version, $"{received.Id}: its url answered {url.Status}.");
    }

    private static void AssertNoneFailed(IReadOnlyList<InstanceState> instances) =>
        Assert.True(
            instances.All(i => i.Status == "Completed"),
            "Every orchestration should have completed: " + string.Join("; ", instances.Where(i => i.Status != "Completed")));

    /// <summary>An RFC 7807 problem: its media type, and a body whose one "status" member is the HTTP status code (a number).</summary>
    private static void AssertProblem(HubAnswer answer, int status)
    {
        Assert.True(answer.Status == status, $"Expected {status}; got {answer}");
        Assert.Equal("application/problem+json", answer.MediaType);
        var members = TopLevelMembers(answer.Body);
        Assert.True(
            members.Count(m => m == "status") == 1,
            $"The problem should have one \"status\" member; it has {members.Count(m => m == "status")}: {answer.Body}");
        var member = answer.Json.GetProperty("status");
        Assert.True(
            member.ValueKind == JsonValueKind.Number && member.GetInt32() == status,
            $"The problem's \"status\" should be the number {status}; it is {member.GetRawText()}: {answer.Body}");
    }

    /// <summary>The names of a JSON object's own members as written, duplicates included (JsonDocument keeps only one).</summary>
    private static List<string> TopLevelMembers(string json)
    {
        var names = new List<string>();
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                names.Add(reader.GetString()!);
            }
        }

        return names;
    }

    private static List<string> StringsOf(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static Dictionary<(string Area, string Id), (double? Old, double? New)> ChangesOf(JsonElement changedIndicators) =>
        changedIndicators.EnumerateArray().ToDictionary(
            c => (c.GetProperty("areaCode").GetString()!, c.GetProperty("id").GetString()!),
            c => (Number(c.GetProperty("old")), Number(c.GetProperty("new"))));

    private static double? Number(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();

    private static HashSet<(string, string)> ErrorsOf(JsonElement errors) =>
        [.. errors.EnumerateArray().Select(e => (e.GetProperty("instanceLocation").GetString()!, e.GetProperty("keyword").GetString()!))];

    private static HashSet<(string, string)> ExpectedErrors(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(RepoPaths.SampleFeed(name)));
        return ErrorsOf(document.RootElement.GetProperty("errors").Clone());
    }
}
