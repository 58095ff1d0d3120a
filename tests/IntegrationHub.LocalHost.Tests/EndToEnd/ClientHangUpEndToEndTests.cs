using System.Net.Sockets;
using System.Text;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.EndToEnd;

/// <summary>
/// A department's client that sends a whole feed and hangs up before the answer (its own timeout, a load tool
/// stopping, a dropped connection). The bytes are landed by then; the hub must still give them their verdict and
/// run them through the pipeline, not leave them landed and forgotten.
/// </summary>
public sealed class ClientHangUpEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    [Fact]
    public async Task Push_ClientResetsTheConnectionOnceTheBodyIsLanded_FeedIsStillValidatedAndConsolidated()
    {
        var feed = SampleFeed.Load("environment-2025-08-r0.json");
        var head = Encoding.ASCII.GetBytes(
            $"POST /api/feeds/{feed.Source} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + $"x-api-key: {Keys.Of(feed.Source)}\r\nContent-Length: {feed.Bytes.Length}\r\n\r\n");

        var landed = hub.Azurite.Blobs.GetBlobContainerClient("landing")
            .GetBlobClient($"{feed.Source}/{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(feed.Bytes))}.json");
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync("127.0.0.1", hub.Hub!.Address.Port);
            await socket.SendAsync(head.Concat(feed.Bytes).ToArray());

            // Hung up as soon as the body is the hub's (a reset before that discards it unread, and nothing is landed).
            // What is left of the request then, the verdict and the start of its run, must not be cancelled with it.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!await landed.ExistsAsync() && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }

            socket.LingerState = new LingerOption(true, 0);
        }

        var status = await hub.Api.WaitForFeedConsolidatedAsync(feed.FeedId);

        Assert.Equal("Consolidated", status.GetProperty("state").GetString());
        await hub.Api.AssertNothingLostAsync(expectedLanded: 1);

        // Its run was started by the intake the client hung up on, and ended once the feed was handed over.
        var detail = await hub.Api.GetAsync($"/api/ops/instances/{Uri.EscapeDataString($"feed:{feed.Source}:{feed.Period}:{feed.FeedId[^16..]}")}", Keys.Ops);
        Assert.Equal("Completed", detail.Json.GetProperty("status").GetString());
    }
}
