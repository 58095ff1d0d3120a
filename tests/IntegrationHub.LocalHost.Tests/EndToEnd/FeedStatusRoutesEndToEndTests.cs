using System.Net;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.EndToEnd;

/// <summary>
/// A feed is followed at <c>GET /api/feeds/{source}/{feedId}</c>, the URL a push answers with; the older
/// <c>GET /api/feeds/{feedId}</c> still answers the same until its sunset (README, "Following a feed"), saying so.
/// </summary>
public sealed class FeedStatusRoutesEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    // README: deprecated on 2026-12-07, answered until 2027-06-30 23:59:59 UTC.
    private const string Deprecation = "@1796601600";
    private const string Sunset = "Wed, 30 Jun 2027 23:59:59 GMT";

    private HubApi Api => hub.Api;

    [Fact]
    public async Task Push_AnswersWithTheSourceScopedStatusUrl_WhichDescribesTheFeedWithoutDeprecation()
    {
        var feed = SampleFeed.Load("transport-2024-06-r0.json");

        var pushed = await Api.PushAsync("transport", feed.Bytes);

        Assert.True(pushed.Status is 200 or 202, $"The push should be accepted; got {pushed}");
        var statusUrl = $"/api/feeds/transport/{feed.FeedId}";
        Assert.Equal(statusUrl, pushed.Json.GetProperty("status").GetString());
        using var followed = await SendAsync(statusUrl, Keys.Transport);
        Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
        Assert.Contains(feed.FeedId, await followed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(followed.Headers.Contains("Deprecation"), "The new route is not deprecated.");
        Assert.False(followed.Headers.Contains("Sunset"), "The new route has no sunset.");
    }

    [Fact]
    public async Task NewRoute_FeedIdUnderAnotherSource_Is404EvenForTheOpsKey()
    {
        var feed = SampleFeed.Load("environment-2024-06-r0.json");
        Assert.True((await Api.PushAsync("environment", feed.Bytes)).Status is 200 or 202);

        using var elsewhere = await SendAsync($"/api/feeds/transport/{feed.FeedId}", Keys.Ops);

        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal("application/problem+json", elsewhere.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OldRoute_StillAnswersTheSameState_WithDeprecationSunsetAndSuccessorLink()
    {
        var feed = SampleFeed.Load("transport-2024-07-r0.json");
        Assert.True((await Api.PushAsync("transport", feed.Bytes)).Status is 200 or 202);

        using var old = await SendAsync($"/api/feeds/{feed.FeedId}", Keys.Transport);
        using var current = await SendAsync($"/api/feeds/transport/{feed.FeedId}", Keys.Transport);

        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal(Deprecation, Assert.Single(old.Headers.GetValues("Deprecation")));
        Assert.Equal(Sunset, Assert.Single(old.Headers.GetValues("Sunset")));
        Assert.Equal($"</api/feeds/transport/{feed.FeedId}>; rel=\"successor-version\"", Assert.Single(old.Headers.GetValues("Link")));
        var oldState = System.Text.Json.JsonDocument.Parse(await old.Content.ReadAsStringAsync()).RootElement.GetProperty("feedId").GetString();
        var newState = System.Text.Json.JsonDocument.Parse(await current.Content.ReadAsStringAsync()).RootElement.GetProperty("feedId").GetString();
        Assert.Equal(feed.FeedId, oldState);
        Assert.Equal(newState, oldState);
    }

    [Fact]
    public async Task OldRoute_KeepsItsAnswers_403ForAnotherDepartmentAnd404ForAnUnknownFeed_StillDeprecated()
    {
        var feed = SampleFeed.Load("transport-2024-08-r0.json");
        Assert.True((await Api.PushAsync("transport", feed.Bytes)).Status is 200 or 202);

        using var another = await SendAsync($"/api/feeds/{feed.FeedId}", Keys.Statistics);
        using var unknown = await SendAsync("/api/feeds/transport-2099-01-r0-0000000000000000", Keys.Ops);

        Assert.Equal(HttpStatusCode.Forbidden, another.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(Sunset, Assert.Single(unknown.Headers.GetValues("Sunset")));
        Assert.Equal(Deprecation, Assert.Single(another.Headers.GetValues("Deprecation")));
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string key)
    {
        using var http = new HttpClient { BaseAddress = Api.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(Keys.Header, key);
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
