using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Functions.Supply;
using IntegrationHub.LocalHost.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.LocalHost.Tests.EndToEnd;

/// <summary>
/// The supply calendar on the local host as deployed: the late-feed timer fires every second from its CRON setting while
/// the hub's clock is moved past a due date. The clock starts at 2023-02-10 12:00 China time, the day power-grid's
/// January 2023 is due (supply.json: day 10 of the next month); the other sources' first periods are due later
/// (transport 02-15, environment 02-28, statistics 2023-Q1 04-25), so power-grid 2023-01 is the only feed that can be late.
/// </summary>
public sealed class SupplyEndToEndTests(SupplyEndToEndTests.SupplyHub hub) : IClassFixture<SupplyEndToEndTests.SupplyHub>
{
    private const string Cell = "/api/supply?source=power-grid&from=2023-01&to=2023-01";

    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private HubApi Api => hub.Api;

    [Fact]
    public async Task ClockPastTheDueDay_NoFeed_OneFeedLateEventToTheSubscriberAskingForIt_NoSecond_ThenTheLatePushShowsLate()
    {
        // Before the due day ends: pending, and no check announces anything.
        var before = await Api.GetAsync(Cell);
        Assert.True(before.Status == 200, before.ToString());
        var cell = Assert.Single(before.Json.GetProperty("cells").EnumerateArray());
        Assert.Equal("pending", cell.GetProperty("state").GetString());
        Assert.Equal("2023-02-10", cell.GetProperty("dueBy").GetString());
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Empty((await hub.Inbox.DrainAsync())["carbon-office-supply"]);

        // The due day ends at 2023-02-11 00:00 China; an hour later the timer's check finds nothing received.
        hub.Calendar.MoveTo(new DateTimeOffset(2023, 2, 11, 1, 0, 0, China));
        var late = await Api.EventuallyAsync("a feed-late event on the carbon office's queue", async () =>
        {
            var events = (await hub.Inbox.DrainAsync())["carbon-office-supply"];
            return (events.Count > 0, events, $"{events.Count} events");
        }, TimeSpan.FromSeconds(60));
        var announced = Assert.Single(late);
        // The id the event schema promises: SHA-256 of "power-grid/2023-01", first 32 hex digits.
        Assert.Equal("feed-late:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("power-grid/2023-01")))[..32], announced.Id);
        Assert.Equal("cn.xiangjiang.dualcarbon.feed.late", announced.Attribute("type"));
        Assert.Equal("power-grid/2023-01", announced.Attribute("subject"));
        Assert.Equal("2023-02-10", announced.Data.GetProperty("dueBy").GetString());
        Assert.Equal("missing", (await CellAsync()).GetProperty("state").GetString());

        // Later still, and the check run again by hand: the record of the announcement keeps it to one.
        hub.Calendar.MoveTo(new DateTimeOffset(2023, 2, 12, 9, 0, 0, China));
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Empty(await hub.Hub!.Services.GetRequiredService<LateFeedAlerts>().CheckAsync(CancellationToken.None));
        var inbox = await hub.Inbox.DrainAsync();
        Assert.Single(inbox["carbon-office-supply"]);
        // Subscribers that did not ask for late feeds got none.
        Assert.All(inbox.Where(kv => kv.Key != "carbon-office-supply"),
            kv => Assert.DoesNotContain(kv.Value, e => e.Attribute("type") == "cn.xiangjiang.dualcarbon.feed.late"));

        // The department pushes on the 12th, two days late: the cell turns late, with the feed and its received time.
        var pushedAt = hub.Calendar.GetUtcNow();
        var feedId = await PushJanuaryAsync(new DateTimeOffset(2023, 2, 12, 8, 30, 0, China));
        var state = await Api.EventuallyAsync("power-grid 2023-01 to show late", async () =>
        {
            var now = await CellAsync();
            return (now.GetProperty("state").GetString() == "late", now, now.ToString());
        });
        var feed = Assert.Single(state.GetProperty("feeds").EnumerateArray());
        Assert.Equal(feedId, feed.GetProperty("feedId").GetString());
        var receivedAt = DateTimeOffset.Parse(state.GetProperty("receivedAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(receivedAt, pushedAt, pushedAt.AddMinutes(1));
        Assert.Single((await hub.Inbox.DrainAsync())["carbon-office-supply"]);
    }

    [Fact]
    public async Task Supply_AnsweredWithAnETag_304WhileNothingChanged()
    {
        using var http = new HttpClient { BaseAddress = hub.Hub!.Address };
        using var first = await http.GetAsync("/api/supply?source=transport");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/supply?source=transport");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Theory]
    [InlineData("?source=water", "source", "rule:known-source")]
    [InlineData("?from=2023-13", "from", "rule:period-format")]
    [InlineData("?from=2023-03&to=2023-01", "to", "rule:from-not-after-to")]
    public async Task Supply_BadQueryParameter_ProblemNamingItAndTheRule(string query, string parameter, string rule)
    {
        var answer = await Api.GetAsync("/api/supply" + query);
        Assert.Equal(400, answer.Status);
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Equal(parameter, answer.Json.GetProperty("parameter").GetString());
        Assert.Equal(rule, answer.Json.GetProperty("rule").GetString());
    }

    private async Task<System.Text.Json.JsonElement> CellAsync()
    {
        var answer = await Api.GetAsync(Cell);
        Assert.True(answer.Status == 200, answer.ToString());
        return Assert.Single(answer.Json.GetProperty("cells").EnumerateArray());
    }

    /// <summary>The January 2024 sample re-dated to January 2023, produced at <paramref name="producedAt"/>.</summary>
    private async Task<string> PushJanuaryAsync(DateTimeOffset producedAt)
    {
        var feed = JsonNode.Parse(SampleFeed.Latest("power-grid", "2024-01").Bytes)!.AsObject();
        feed["period"] = "2023-01";
        feed["producedAt"] = producedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var answer = await Api.PushAsync("power-grid", Encoding.UTF8.GetBytes(feed.ToJsonString()));
        Assert.True(answer.Status == 202, answer.ToString());
        return answer.Json.GetProperty("feedId").GetString()!;
    }

    public sealed class SupplyHub : EndToEndHub
    {
        /// <summary>The hub's clock, which the test moves.</summary>
        public MovableClock Calendar { get; } = new(new DateTimeOffset(2023, 2, 10, 12, 0, 0, TimeSpan.FromHours(8)));

        protected override bool EnableTimers => true;

        protected override TimeProvider? Clock => Calendar;

        protected override void AddSettings(IDictionary<string, string?> values) => values[SupplyFunctions.LateCheckSchedule] = "* * * * * *";
    }

    /// <summary>The system clock shifted to a date, and moved on when the test says; it runs in real time in between.</summary>
    public sealed class MovableClock(DateTimeOffset start) : TimeProvider
    {
        private long shiftTicks = (start - System.GetUtcNow()).Ticks;

        public void MoveTo(DateTimeOffset at) => Interlocked.Exchange(ref shiftTicks, (at - System.GetUtcNow()).Ticks);

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref shiftTicks));
    }
}
