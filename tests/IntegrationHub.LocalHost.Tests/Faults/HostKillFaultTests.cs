using System.Diagnostics;
using System.Security.Cryptography;
using IntegrationHub.LocalHost.Tests.Support;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.Faults;

/// <summary>Azurite and the department simulators for a hub that runs in its own process, to be killed.</summary>
public sealed class KillableHubFixture : IAsyncLifetime
{
    public AzuriteInstance Azurite { get; private set; } = null!;

    public DepartmentSimulators Simulators { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteInstance.StartAsync();
        Simulators = await DepartmentSimulators.StartAsync();
    }

    public Task DisposeAsync()
    {
        Simulators?.Dispose();
        Azurite?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// The host process killed (SIGKILL) in the middle of a quarter's pipeline and started again on the same storage:
/// no shutdown hook runs, the partition lease and the in-flight messages stay with the dead process. The run must
/// complete within 30 s of the restart, with nothing lost, no data-set version stored twice and no event sent twice.
/// </summary>
public sealed class HostKillFaultTests(KillableHubFixture fixture, ITestOutputHelper output) : IClassFixture<KillableHubFixture>
{
    private static readonly string[] Months = ["07", "08", "09"];

    /// <summary>The issue's bound: a killed host costs a run at most this much after the restart.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task HostKilledMidRun_Restarted_RunCompletesWithin30SecondsNothingLostNothingTwice()
    {
        var settings = EndToEndHub.Settings(fixture.Azurite, fixture.Simulators, "kill" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        var port = Ports.Free();
        var logs = new RecentLogs();
        using var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        var api = new HubApi(http, logs);

        var first = await HubProcess.StartAsync(settings, port);
        List<InstanceState> atKill;
        var accepted = new List<string>();
        try
        {
            accepted.Add(await api.PushAcceptedAsync("statistics-2025-Q3-r0.json"));
            foreach (var month in Months)
            {
                accepted.Add(await api.PushAcceptedAsync($"environment-2025-{month}-r0.json"));
            }

            foreach (var source in new[] { "power-grid", "transport" })
            {
                foreach (var month in Months)
                {
                    await api.StartPullAcceptedAsync(source, $"2025-{month}");
                    accepted.Add(SampleFeed.Latest(source, $"2025-{month}").FeedId);
                }
            }

            atKill = [.. await api.EventuallyAsync("a ProcessFeed or ConsolidatePeriod run to be Running", async () =>
            {
                var all = await api.InstancesAsync();
                return (all.Any(i => i.Name is "ProcessFeed" or "ConsolidatePeriod" && i.Status == "Running"), all,
                    string.Join("; ", all.Select(i => $"{i.InstanceId} {i.Status}")));
            }, TimeSpan.FromSeconds(30))];
        }
        finally
        {
            first.Kill();
        }

        var unfinished = atKill.Where(i => !i.IsTerminal).ToList();
        output.WriteLine($"Killed with {unfinished.Count} unfinished run(s): {string.Join(", ", unfinished.Select(i => $"{i.InstanceId} ({i.Status})"))}");
        Assert.Contains(unfinished, i => i.Name is "ProcessFeed" or "ConsolidatePeriod");

        using var second = await HubProcess.StartAsync(settings, port);
        var restarted = Stopwatch.StartNew();
        var final = await api.WaitUntilQuietAsync(TimeSpan.FromSeconds(120));
        var recovery = restarted.Elapsed;
        output.WriteLine($"Every run finished {recovery.TotalSeconds:0.0} s after the restart; re-executed after the restart: the in-flight steps of "
            + string.Join(", ", unfinished.Select(i => i.InstanceId)));

        Assert.True(
            final.All(i => i.Status == "Completed"),
            "Every run should complete after the restart: " + string.Join("; ", final.Where(i => i.Status != "Completed")));
        foreach (var feedId in accepted)
        {
            var status = await api.FeedStatusAsync(feedId);
            Assert.True(status.Status == 200 && status.Json.GetProperty("state").GetString() == "Consolidated", $"{feedId}: {status}");
        }

        await api.AssertNothingLostAsync(expectedLanded: accepted.Count);
        var inbox = new SubscriberInbox(fixture.Azurite.Queues, fixture.Azurite.Blobs);
        foreach (var (subscriber, events) in await inbox.DrainAsync())
        {
            var twice = events.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, $"{subscriber} received these events more than once: {string.Join(", ", twice)}");
        }

        var quarter = (await api.DatasetAsync("2025-Q3"))!.Value;
        Assert.Equal(accepted.Order(StringComparer.Ordinal), PublishedDatasets.InputsOf(quarter).Order(StringComparer.Ordinal));
        Assert.True(
            recovery <= RecoveryBound,
            $"The run should complete within {RecoveryBound.TotalSeconds} s of the restart; it took {recovery.TotalSeconds:0.0} " +
            $"s.{Environment.NewLine}{second.Tail}");
    }
}
