using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.EndToEnd;

/// <summary>
/// A webhook subscriber on the running local hub: the dashboard subscriber pointed at a receiver on this machine
/// (<c>Publishing__Webhooks__dual-carbon-dashboard</c>), the outbox timer every second. A pushed feed's data set
/// reaches it by POST; ops see its deliveries and redeliver, and the receiver gets the same id again.
/// </summary>
public sealed class WebhookEndToEndTests(WebhookEndToEndTests.WebhookHub hub) : IClassFixture<WebhookEndToEndTests.WebhookHub>
{
    [Fact]
    public async Task PushedFeed_DatasetEventPostedToTheWebhook_ListedInItsDeliveries_RedeliveredWithTheSameId()
    {
        var feedId = await hub.Api.PushAcceptedAsync("statistics-2025-Q2-r0.json");
        await hub.Api.WaitForFeedConsolidatedAsync(feedId);

        var first = await hub.Api.EventuallyAsync("the webhook to receive 2025-Q2/v1", () =>
        {
            var got = hub.Receiver.Requests.FirstOrDefault(r => r.EventId == "2025-Q2/v1");
            return Task.FromResult((got is not null, got, string.Join(", ", hub.Receiver.Requests.Select(r => r.EventId))));
        }, TimeSpan.FromSeconds(60));
        Assert.StartsWith("application/cloudevents+json", first!.ContentType, StringComparison.Ordinal);
        Assert.Equal("cn.xiangjiang.dualcarbon.dataset.published", first.Type);
        // The dashboard takes its events by webhook now: nothing in its queue.
        var queued = await hub.Inbox.DrainAsync();
        Assert.Empty(queued["dual-carbon-dashboard"]);

        var subscribers = await hub.Api.GetAsync("/api/ops/subscribers", Keys.Ops);
        var dashboard = subscribers.Json.GetProperty("subscribers").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "dual-carbon-dashboard");
        Assert.Equal("webhook:" + hub.Receiver.Url, dashboard.GetProperty("channel").GetString());
        var deliveries = await hub.Api.GetAsync("/api/ops/subscribers/dual-carbon-dashboard/deliveries", Keys.Ops);
        Assert.Contains(deliveries.Json.GetProperty("deliveries").EnumerateArray(), d => d.GetProperty("eventId").GetString() == "2025-Q2/v1");

        var before = hub.Receiver.Requests.Count(r => r.EventId == "2025-Q2/v1");
        var redelivered = await hub.Api.SendAsync(HttpMethod.Post, "/api/ops/subscribers/dual-carbon-dashboard/redeliver?since=2025-Q2%2Fv1", Keys.Ops);
        Assert.Equal(200, redelivered.Status);
        Assert.Contains("2025-Q2/v1", redelivered.Json.GetProperty("eventIds").EnumerateArray().Select(e => e.GetString()));
        await hub.Api.EventuallyAsync("the redelivery to reach the webhook", () =>
        {
            var count = hub.Receiver.Requests.Count(r => r.EventId == "2025-Q2/v1");
            return Task.FromResult((count > before, count, $"{count} posts of 2025-Q2/v1"));
        }, TimeSpan.FromSeconds(60));
        // At least once, and the same event each time: the receiver keeps it once by its id.
        Assert.Single(hub.Receiver.Requests.Where(r => r.EventId == "2025-Q2/v1").Select(r => r.Body).Distinct());
    }

    public sealed class WebhookHub : EndToEndHub
    {
        public Receiver Receiver { get; } = new();

        protected override bool EnableTimers => true;

        public override async Task DisposeAsync()
        {
            try
            {
                await base.DisposeAsync();
            }
            finally
            {
                Receiver.Dispose();
            }
        }

        protected override void AddSettings(IDictionary<string, string?> values)
        {
            Receiver.Start();
            values["Publishing:Webhooks:dual-carbon-dashboard"] = Receiver.Url.ToString();
            values["WebhookDeliveryCron"] = "* * * * * *";
            values["Publishing:WebhookRetry:FirstDelay"] = "00:00:01";
        }
    }

    /// <summary>A webhook receiver on a free loopback port that answers 204 and keeps every request.</summary>
    public sealed class Receiver : IDisposable
    {
        private LoopbackHttpServer? server;
        private readonly ConcurrentQueue<Received> requests = new();

        public Uri Url { get; private set; } = null!;

        public IReadOnlyList<Received> Requests => [.. requests];

        public void Start()
        {
            server = new LoopbackHttpServer("/events/", AnswerAsync);
            Url = server.Url;
        }

        private async Task AnswerAsync(HttpListenerContext context)
        {
            using var body = new StreamReader(context.Request.InputStream);
            var text = await body.ReadToEndAsync();
            using var json = JsonDocument.Parse(text);
            requests.Enqueue(new Received(
                json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("type").GetString()!, context.Request.ContentType, text));
            context.Response.StatusCode = 204;
        }

        public void Dispose() => server?.Dispose();
    }

    public sealed record Received(string EventId, string Type, string? ContentType, string Body);
}
