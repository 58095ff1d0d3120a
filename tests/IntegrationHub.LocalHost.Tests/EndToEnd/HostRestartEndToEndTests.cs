using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.EndToEnd;

/// <summary>
/// The hub stopped in the middle of its work and started again on the same storage and task hub: the Durable state
/// on the Azurite carries every run over. A class of its own, because stopping the hub would disturb other tests.
/// </summary>
public sealed class HostRestartEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    private static readonly string[] Months = ["01", "02", "03"];

    [Fact]
    public async Task LocalHub_StoppedMidOrchestrationAndStartedAgain_EveryFeedConsolidatedExactlyOnce()
    {
        // 2025-Q1 from all four departments: statistics and environment pushed, power grid and transport pulled (the
        // simulators serve the latest revision: power-grid 2025-03 is r1).
        var pushed = new List<string> { await hub.Api.PushAcceptedAsync("statistics-2025-Q1-r0.json") };
        foreach (var month in Months)
        {
            pushed.Add(await hub.Api.PushAcceptedAsync($"environment-2025-{month}-r0.json"));
        }

        var pulls = new List<string>();
        var pulledFiles = new List<SampleFeed>();
        foreach (var source in new[] { "power-grid", "transport" })
        {
            foreach (var month in Months)
            {
                pulls.Add(await hub.Api.StartPullAcceptedAsync(source, $"2025-{month}"));
                pulledFiles.Add(SampleFeed.Latest(source, $"2025-{month}"));
            }
        }

        var atStop = await hub.Api.EventuallyAsync("a ProcessFeed or ConsolidatePeriod run to be Running", async () =>
        {
            var all = await hub.Api.InstancesAsync();
            return (all.Any(i => i.Name is "ProcessFeed" or "ConsolidatePeriod" && i.Status == "Running"), all,
                string.Join("; ", all.Select(i => $"{i.InstanceId} {i.Status}")));
        }, TimeSpan.FromSeconds(30));
        await hub.StopHubAsync();
        Assert.Contains(atStop, i => i.Name is "ProcessFeed" or "ConsolidatePeriod" && i.Status == "Running");

        await hub.StartHubAsync();
        var api = hub.Api;
        var final = await api.WaitUntilQuietAsync(TimeSpan.FromSeconds(120));

        Assert.True(final.All(i => i.Status == "Completed"),
            "Every run should complete after the restart: " + string.Join("; ", final.Where(i => i.Status != "Completed")));
        Assert.Equal(pulls.Order(), final.Where(i => i.Name == "PullFeed").Select(i => i.InstanceId).Order());
        var processed = final.Where(i => i.Name == "ProcessFeed").ToList();
        Assert.All(processed, p => Assert.Equal("Recorded", p.OutputJson.Prop("outcome").GetString()));
        var accepted = pushed.Concat(pulledFiles.Select(f => f.FeedId)).Order().ToList();
        var unprocessed = accepted.Except(processed.Select(p => p.OutputJson.Prop("feedId").GetString()!)).ToList();
        if (unprocessed.Count > 0)
        {
            var statuses = new List<string>();
            foreach (var feedId in unprocessed)
            {
                statuses.Add($"{feedId}: {await api.FeedStatusAsync(feedId)}");
            }

            Assert.Fail($"Every accepted feed should have had its ProcessFeed run; none for {string.Join(", ", unprocessed)}.{Environment.NewLine}"
                + $"Their status: {string.Join("; ", statuses)}{Environment.NewLine}{await api.DiagnosticsAsync()}");
        }

        Assert.Equal(accepted.Count, processed.Count);

        foreach (var feedId in accepted)
        {
            var status = await api.FeedStatusAsync(feedId);
            Assert.True(status.Status == 200 && status.Json.GetProperty("state").GetString() == "Consolidated", $"{feedId}: {status}");
        }

        // The hub's own reconciliation agrees: every accepted feed published, nothing recorded twice.
        await api.AssertNothingLostAsync(expectedLanded: accepted.Count);

        var quarter = (await api.DatasetAsync("2025-Q1"))!.Value;
        Assert.Equal("complete", quarter.GetProperty("status").GetString());
        Assert.Equal(accepted, PublishedDatasets.InputsOf(quarter).Order());
        var year = (await api.DatasetAsync("2025"))!.Value;
        Assert.Equal(accepted.Where(id => !id.StartsWith("statistics-", StringComparison.Ordinal)), PublishedDatasets.InputsOf(year).Order());

        // Nothing consolidated twice: every version the hub stored has inputs of its own.
        foreach (var period in new[] { "2025-Q1", "2025" })
        {
            var stored = await PublishedDatasets.ReadStoredAsync(hub.Azurite.Blobs, period);
            var twins = stored.GroupBy(v => string.Join(",", v.InputFeedIds.Order(StringComparer.Ordinal))).Where(g => g.Count() > 1).ToList();
            if (twins.Count > 0)
            {
                var published = await api.DatasetVersionsAsync(period);
                var latest = (await api.DatasetAsync(period))!.Value.GetProperty("version").GetInt32();
                var announced = (await hub.Inbox.DrainAsync())["dual-carbon-dashboard"].Select(e => e.Id).ToHashSet();
                Assert.Fail($"{period}: stored versions with identical inputs (consolidated twice): "
                    + string.Join("; ", twins.Select(g => string.Join(", ", g.Select(v =>
                        $"v{v.Version} (generatedAt {v.Document.GetProperty("generatedAt")}, {v.InputFeedIds.Count} inputs, "
                        + $"{(published.Contains(v.Version) ? "listed as published" : "not listed")}, " +
                            $"{(announced.Contains(v.EventId) ? "announced" : "never announced")})"))))
                    + $"; latest is v{latest}; the query API lists v{string.Join(", v", published)}.{Environment.NewLine}{await api.DiagnosticsAsync()}");
            }
        }
    }
}
