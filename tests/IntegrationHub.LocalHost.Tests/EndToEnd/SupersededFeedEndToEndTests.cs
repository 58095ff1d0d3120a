using System.Text.Json.Nodes;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.EndToEnd;

/// <summary>
/// Two feeds of the same department period and revision arrive together, the second produced later (a department
/// that corrected its data without counting up the revision). One data-set run takes both in; only the later one
/// is in force. The other was consolidated and decided against: the reconciliation must not call it lost.
/// </summary>
public sealed class SupersededFeedEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    [Fact]
    public async Task Push_SameRevisionTwiceTogether_LaterOneInForceAndNeitherLost()
    {
        var first = SampleFeed.Load("environment-2025-09-r0.json");
        var corrected = (JsonObject)JsonNode.Parse(first.Bytes)!;
        corrected["producer"] = "corrected-without-a-new-revision";
        corrected["producedAt"] = DateTimeOffset.Parse(corrected["producedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

        var answers =
            await Task.WhenAll(
            hub.Api.PushAsync(first.Source, first.Bytes), hub.Api.PushAsync(first.Source, System.Text.Encoding.UTF8.GetBytes(corrected.ToJsonString())));
        Assert.All(answers, a => Assert.True(a.Status == 202, a.ToString()));
        var ids = answers.Select(a => a.Json.GetProperty("feedId").GetString()!).ToArray();
        foreach (var id in ids)
        {
            await hub.Api.WaitForFeedConsolidatedAsync(id);
        }

        var dataset = (await hub.Api.DatasetAsync("2025-Q3"))!.Value;
        var inputs = dataset.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("feedId").GetString()).ToList();
        Assert.Contains(ids[1], inputs);
        Assert.DoesNotContain(ids[0], inputs);
        await hub.Api.AssertNothingLostAsync(expectedLanded: 2);
    }
}
