using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.EndToEnd;

/// <summary>
/// The timers as deployed: a department's CRON setting fires its timer function, which pulls the period just closed
/// from the department; pulled again with the same content, nothing changes. The hub's calendar is set to
/// 2025-10-20 (China time) so that the period due, 2025-09, is one the simulated departments serve.
/// </summary>
public sealed class ScheduledPullEndToEndTests(ScheduledPullEndToEndTests.ScheduledHub hub) : IClassFixture<ScheduledPullEndToEndTests.ScheduledHub>
{
    private HubApi Api => hub.Api;

    [Fact]
    public async Task TransportTimer_PullsTheMonthJustClosed_ThenPullsItAgainUnchanged_NoNewRunNoNewVersion()
    {
        // 2025-10-20 12:00 in China: the month just closed is September.
        var served = SampleFeed.Latest("transport", "2025-09");
        var feedId = (await Api.WaitForFeedConsolidatedAsync(served.FeedId)).GetProperty("feedId").GetString();
        Assert.Equal(served.FeedId, feedId);
        var runs = await Api.InstancesAsync("feed:transport:");
        var first = Assert.Single(runs);
        Assert.StartsWith("feed:transport:2025-09:", first.InstanceId, StringComparison.Ordinal);
        await PipelineQuietAsync();
        var quarter = (await Api.DatasetAsync("2025-Q3"))!.Value;
        var version = quarter.GetProperty("version").GetInt32();
        Assert.Contains(served.FeedId, PublishedDatasets.InputsOf(quarter));

        // The timer fires every 2 s: the same period is pulled again and the department serves the same bytes.
        var again = await Api.EventuallyAsync("the transport timer to pull 2025-09 again and find it unchanged", async () =>
        {
            var pull = await Api.InstanceAsync("pull:transport:2025-09");
            var done = pull is { Status: "Completed" } && pull.OutputJson.Prop("outcome").GetString() == "Unchanged";
            return (done, pull!, pull?.ToString() ?? "no pull yet");
        });
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(served.Bytes)), again.OutputJson.Prop("contentHash").GetString());

        await PipelineQuietAsync();
        Assert.Equal([first.InstanceId], (await Api.InstancesAsync("feed:transport:")).Select(i => i.InstanceId));
        Assert.Equal(version, (await Api.DatasetAsync("2025-Q3"))!.Value.GetProperty("version").GetInt32());

        // Only the department with a schedule is pulled; the others' timers are off (their settings are missing).
        var pulls = (await Api.InstancesAsync("pull:")).Select(i => i.InstanceId).ToList();
        Assert.Equal(["pull:transport:2025-09"], pulls);
    }

    [Fact]
    public async Task DatasetsLatest_OverHttp_IsThePeriodThatEndsLast_AndAnsweredNotModifiedForItsETag()
    {
        var served = SampleFeed.Latest("transport", "2025-09");
        await Api.WaitForFeedConsolidatedAsync(served.FeedId);
        await PipelineQuietAsync();

        // This hub holds 2025-Q3 and the year 2025 only: the year ends last; of the quarters, Q3.
        var latest = await Api.GetAsync("/api/datasets/latest");
        Assert.True(latest.Status == 200, latest.ToString());
        Assert.Equal("2025", latest.Json.GetProperty("period").GetString());
        var quarter = await Api.GetAsync("/api/datasets/latest?kind=quarter");
        Assert.Equal("2025-Q3", quarter.Json.GetProperty("period").GetString());
        Assert.Contains(served.FeedId, PublishedDatasets.InputsOf(quarter.Json));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/datasets/latest?kind=quarter");
        using var http = new HttpClient { BaseAddress = hub.Hub!.Address };
        using var first = await http.SendAsync(request);
        var etag = first.Headers.ETag;
        Assert.True(etag is { IsWeak: false }, $"a strong ETag is expected; got {etag}");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/datasets/latest?kind=quarter");
        again.Headers.IfNoneMatch.Add(etag!);
        using var notModified = await http.SendAsync(again);
        Assert.Equal(System.Net.HttpStatusCode.NotModified, notModified.StatusCode);
    }

    /// <summary>No feed or consolidation run busy; the pulls themselves start again every 2 s, so they are not waited for.</summary>
    private Task<IReadOnlyList<InstanceState>> PipelineQuietAsync() =>
        Api.EventuallyAsync("every feed and consolidation run to finish", async () =>
        {
            var busy = (await Api.InstancesAsync()).Where(i => !i.IsTerminal && !i.InstanceId.StartsWith("pull:", StringComparison.Ordinal)).ToList();
            return (busy.Count == 0, (IReadOnlyList<InstanceState>)busy, string.Join("; ", busy));
        });

    public sealed class ScheduledHub : EndToEndHub
    {
        protected override bool EnableTimers => true;

        protected override TimeProvider? Clock { get; } = new ShiftedClock(new DateTimeOffset(2025, 10, 20, 12, 0, 0, TimeSpan.FromHours(8)));

        protected override void AddSettings(IDictionary<string, string?> values) => values["PullCronTransport"] = "*/2 * * * * *";
    }

    /// <summary>The system clock moved to another date; it keeps running, so the timers' delays pass in real time.</summary>
    private sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
    {
        private readonly TimeSpan shift = start - System.GetUtcNow();

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
