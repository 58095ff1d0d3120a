using System.Diagnostics;
using IntegrationHub.LocalHost.Tests.Support;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.Faults;

/// <summary>
/// <c>GET /api/ready</c> on the local host over a real Azurite kept on disk: ready while storage and the task hub
/// answer, 503 naming storage within seconds once Azurite is stopped (while <c>/api/health</c>, liveness, stays 200),
/// and ready again once it is back.
/// </summary>
public sealed class ReadinessEndToEndTests(StorageOutageHub hub, ITestOutputHelper output) : IClassFixture<StorageOutageHub>
{
    [Fact]
    public async Task Ready_StorageAndTaskHubUp_Answers200WithEveryCheckOk()
    {
        var answer = await hub.Api.GetAsync("/api/ready");

        Assert.True(answer.Status == 200, $"GET /api/ready with Azurite up should answer 200; got {answer}{Environment.NewLine}{hub.Logs.Last(20)}");
        Assert.Equal("ready", answer.Json.GetProperty("status").GetString());
        Assert.Equal("ok", answer.Json.GetProperty("checks").GetProperty("storage").GetString());
        Assert.Equal("ok", answer.Json.GetProperty("checks").GetProperty("task-hub").GetString());
    }

    [Fact]
    public async Task Ready_StorageStopped_Answers503NamingStorageWithinSecondsWithoutHostDetails_AndReadyAgainOnceBack()
    {
        await hub.Azurite.StopAsync();
        HubAnswer answer, health;
        TimeSpan took;
        try
        {
            var clock = Stopwatch.StartNew();
            answer = await hub.Api.GetAsync("/api/ready");
            took = clock.Elapsed;
            health = await hub.Api.GetAsync("/api/health");
        }
        finally
        {
            await hub.Azurite.RestartAsync();
        }

        output.WriteLine($"with storage stopped: {answer} in {took.TotalMilliseconds:0} ms");
        Assert.True(answer.Status == 503, $"GET /api/ready with storage stopped should answer 503; got {answer}");
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Equal("10", answer.RetryAfter);
        Assert.Equal("storage", answer.Json.GetProperty("dependency").GetString());
        Assert.Contains("storage", answer.Json.GetProperty("dependencies").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("unavailable", answer.Json.GetProperty("checks").GetProperty("storage").GetString());
        // Each check is bounded (4 s) and they run side by side: well under the 10 s a probe typically waits.
        Assert.True(took < TimeSpan.FromSeconds(8), $"GET /api/ready took {took.TotalSeconds:0.0} s with storage stopped.");
        // Where storage lives and why the call failed are for the log, not for an anonymous caller.
        var detail = answer.Json.GetProperty("detail").GetString()!;
        Assert.DoesNotContain("127.0.0.1", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", answer.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("refused", detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", answer.Body, StringComparison.Ordinal);
        Assert.NotEmpty(hub.Logs.Containing("Readiness: storage"));

        // Liveness calls no dependency: a storage outage does not make the app look dead.
        Assert.Equal(200, health.Status);

        var back = await hub.Api.EventuallyAsync("GET /api/ready to answer 200 once storage is back", async () =>
        {
            var again = await hub.Api.GetAsync("/api/ready");
            return (again.Status == 200, again, again.ToString());
        }, TimeSpan.FromSeconds(60));
        Assert.Equal("ready", back.Json.GetProperty("status").GetString());
    }
}
