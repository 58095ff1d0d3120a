using System.Collections.Concurrent;
using System.Net;
using System.Text;
using IntegrationHub.Cli.Tests.Support;

namespace IntegrationHub.Cli.Tests;

/// <summary>
/// <c>hub subscribers</c> against a stand-in for the hub's ops API on loopback, which records every request and answers
/// as the hub documents it: the paths and query asked, the ops key sent, what is printed, and a redelivery followed
/// through <c>continueSince</c> until the hub has none.
/// </summary>
public sealed class SubscribersCommandTests : IDisposable
{
    private const string OpsKey = "ops-key-for-the-test";

    private readonly FakeHub hub = new();

    public void Dispose() => hub.Dispose();

    private (int ExitCode, string Stdout, string Stderr) Hub(params string[] args) =>
        HubCli.Run([.. args, "--hub", hub.Url, "--timeout", "10"], new Dictionary<string, string> { ["HUB_OPS_KEY"] = OpsKey });

    [Fact]
    public void Redeliver_HubSaysContinueSince_AsksAgainFromThere_UntilNoneRemain_PrintsEveryEventOnce()
    {
        hub.Answer("/api/ops/subscribers/carbon-market-desk/redeliver", request => request.Contains("since=2025-01-01T00%3A00%3A00Z")
            ? (200, """{"subscriber":"carbon-market-desk","since":"2025-01-01T00:00:00+00:00","matched":3,"sent":2,"eventIds":"""
                + """["2024-Q4/v1","2024-Q4/v2"],"remaining":1,"continueSince":"2024-Q4/v3"}""")
            : (200, """{"subscriber":"carbon-market-desk","since":"2025-01-02T00:00:00+00:00","matched":1,"sent":1,"eventIds":"""
                + """["2024-Q4/v3"],"remaining":0,"continueSince":null}"""));

        var (exit, stdout, stderr) = Hub("subscribers", "redeliver", "carbon-market-desk", "--since", "2025-01-01T00:00:00Z", "--limit", "2");

        Assert.True(exit == 0, stderr);
        Assert.Equal(
            [
                "POST /api/ops/subscribers/carbon-market-desk/redeliver?since=2025-01-01T00%3A00%3A00Z&limit=2",
                "POST /api/ops/subscribers/carbon-market-desk/redeliver?since=2024-Q4%2Fv3&limit=2",
            ],
            hub.Requests.Select(r => r.Line));
        Assert.All(hub.Requests, r => Assert.Equal(OpsKey, r.Key));
        Assert.Equal(["sent 2024-Q4/v1", "sent 2024-Q4/v2", "sent 2024-Q4/v3", "3 event(s) sent again to carbon-market-desk since 2025-01-01T00:00:00Z"],
            stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        // Standard error is not a terminal here: no progress line, nothing at all.
        Assert.Equal("", stderr);
        Assert.DoesNotContain(OpsKey, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Redeliver_HubRefusesTheSecondRequest_Exits1_SaysHowManyWereSentAndWhereToGoOn()
    {
        hub.Answer("/api/ops/subscribers/carbon-market-desk/redeliver", request => request.Contains("since=2024-Q4%2Fv1")
            ? (200, """{"subscriber":"carbon-market-desk","since":"2025-01-01T00:00:00+00:00","matched":2,"sent":1,"eventIds":"""
                + """["2024-Q4/v1"],"remaining":1,"continueSince":"2024-Q4/v2"}""")
            : (400, """{"type":"about:blank","title":"Unknown event","status":"""
                + """400,"detail":"No event '2024-Q4/v2' was announced.","parameter":"since"}"""));

        var (exit, stdout, stderr) = Hub("subscribers", "redeliver", "carbon-market-desk", "--since", "2024-Q4/v1");

        Assert.Equal(1, exit);
        Assert.Contains("sent 2024-Q4/v1", stdout, StringComparison.Ordinal);
        Assert.Contains("error 400 Unknown event", stderr, StringComparison.Ordinal);
        Assert.Contains("1 event(s) were sent before; go on with --since '2024-Q4/v2'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Redeliver_WithoutSince_Exits2_AsksNothing()
    {
        var (exit, _, stderr) = Hub("subscribers", "redeliver", "carbon-market-desk");

        Assert.Equal(2, exit);
        Assert.Contains("--since", stderr, StringComparison.Ordinal);
        Assert.Empty(hub.Requests);
    }

    [Fact]
    public void List_PrintsEachSubscribersChannelAndLastEvent()
    {
        hub.Answer("/api/ops/subscribers", _ => (200, """
            {"subscribers":[
              {"name":"dual-carbon-dashboard","description":null,"filter":{},"channel":"webhook:https://dash.example.org/events",
               "lastDelivery":{"eventId":"2024-Q4/v2","type":"cn.xiangjiang.dualcarbon.dataset.published","period":"2024-Q4","version":2,
                 "sentAt":"2025-01-31T08:00:00+00:00","channel":"webhook:https://dash.example.org/events","redelivery":false},
               "deliveries":"/api/ops/subscribers/dual-carbon-dashboard/deliveries"},
              {"name":"carbon-office-supply","description":null,"filter":{},"channel":"queue:sub-carbon-office-supply","lastDelivery":null,
               "deliveries":"/api/ops/subscribers/carbon-office-supply/deliveries"}]}
            """));

        var (exit, stdout, stderr) = Hub("subscribers", "list");

        Assert.True(exit == 0, stderr);
        Assert.Equal(["GET /api/ops/subscribers"], hub.Requests.Select(r => r.Line));
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("dual-carbon-dashboard", StringComparison.Ordinal)
            && l.Contains("webhook:https://dash.example.org/events", StringComparison.Ordinal) && l.Contains("2024-Q4/v2", StringComparison.Ordinal)
            && l.Contains("2025-01-31 08:00:00Z", StringComparison.Ordinal));
        Assert.Contains(lines,
            l => l.StartsWith("carbon-office-supply", StringComparison.Ordinal)
            && l.Contains("queue:sub-carbon-office-supply", StringComparison.Ordinal));
        Assert.Equal("2 subscriber(s)", lines[^1]);
    }

    [Fact]
    public void Deliveries_LimitAsked_RowsPrinted_NextPageTokenShown()
    {
        hub.Answer("/api/ops/subscribers/carbon-office-supply/deliveries", _ => (200, """
            {"subscriber":"carbon-office-supply","deliveries":[
              {"eventId":"feed-late:0123456789abcdef0123456789abcdef","type":"cn.xiangjiang.dualcarbon.feed.late","period":"2025-03","version":null,
               "sentAt":"2025-04-16T00:05:00+00:00","channel":"queue:sub-carbon-office-supply","redelivery":true}],
             "continuationToken":"d1.abc"}
            """));

        var (exit, stdout, stderr) = Hub("subscribers", "deliveries", "carbon-office-supply", "--limit", "1");

        Assert.True(exit == 0, stderr);
        Assert.Equal(["GET /api/ops/subscribers/carbon-office-supply/deliveries?limit=1"], hub.Requests.Select(r => r.Line));
        Assert.Contains("feed-late:0123456789abcdef0123456789abcdef", stdout, StringComparison.Ordinal);
        Assert.Contains("2025-04-16 00:05:00Z", stdout, StringComparison.Ordinal);
        Assert.Contains("1 delivery", stdout, StringComparison.Ordinal);
        Assert.Contains("next page: --continuation-token 'd1.abc'", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Deliveries_UnknownSubscriber_Exits1WithTheHubsProblem()
    {
        hub.Answer("/api/ops/subscribers/nobody/deliveries", _ =>
            (404, """{"type":"about:blank","title":"Unknown subscriber","status":404,"detail":"No subscriber is named 'nobody'.","parameter":"name"}"""));

        var (exit, _, stderr) = Hub("subscribers", "deliveries", "nobody");

        Assert.Equal(1, exit);
        Assert.Contains("error 404 Unknown subscriber", stderr, StringComparison.Ordinal);
        Assert.Contains("parameter 'name'", stderr, StringComparison.Ordinal);
    }

    // Answers by path with JSON (a problem for 4xx/5xx), recording each request's method, path and query, and key.
    private sealed class FakeHub : IDisposable
    {
        private readonly ConcurrentDictionary<string, Func<string, (int Status, string Body)>> answers = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<(string Line, string? Key)> requests = new();
        private readonly LoopbackHttpServer server;

        public FakeHub()
        {
            server = new LoopbackHttpServer("/", AnswerAsync);
            Url = server.Url.ToString().TrimEnd('/');
        }

        public string Url { get; }

        public IReadOnlyList<(string Line, string? Key)> Requests => [.. requests];

        // How to answer a path; the function gets the request line's query.
        public void Answer(string path, Func<string, (int Status, string Body)> answer) => answers[path] = answer;

        private async Task AnswerAsync(HttpListenerContext context)
        {
            var url = context.Request.Url!;
            requests.Enqueue(($"{context.Request.HttpMethod} {url.AbsolutePath}{url.Query}", context.Request.Headers["x-api-key"]));
            var (status, body) = answers.TryGetValue(url.AbsolutePath, out var answer) ? answer(url.Query) : (404, "");
            context.Response.StatusCode = status;
            context.Response.ContentType = status >= 400 ? "application/problem+json" : "application/json";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
        }

        public void Dispose() => server.Dispose();
    }
}
