using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.Cli;

/// <summary>
/// <c>hub push</c> and <c>hub ops</c> as operators run them: the built tool in its own process, against the local host
/// running on Azurite; exit codes and what it prints.
/// </summary>
public sealed class PushAndOpsCommandEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    private HubApi Api => hub.Api;

    [Fact]
    public async Task Push_ValidSample_Exits0AndPrintsTheFeedId()
    {
        var feed = SampleFeed.Load("transport-2024-07-r0.json");

        var (exit, stdout, stderr) = await RunAsync("push", RepoPaths.SampleFeed(feed.Name), "--key", Keys.Transport);

        Assert.True(exit == 0, $"exit {exit}; stdout: {stdout}; stderr: {stderr}");
        Assert.Contains($"accepted {feed.FeedId}", stdout, StringComparison.Ordinal);
        var status = await Api.FeedStatusAsync(feed.FeedId);
        Assert.True(status.Status == 200, $"The pushed feed should be known to the hub; got {status}");
    }

    [Fact]
    public async Task Push_AFolder_PushesEachFeedInNameOrderAndExitsWithTheWorstOutcome()
    {
        var folder = Directory.CreateTempSubdirectory("hub-push-folder-").FullName;
        try
        {
            var september = SampleFeed.Load("power-grid-2024-09-r0.json");
            var october = SampleFeed.Load("power-grid-2024-10-r0.json");
            File.Copy(RepoPaths.SampleFeed(september.Name), Path.Combine(folder, "a-" + september.Name));
            File.Copy(RepoPaths.SampleFeed(october.Name), Path.Combine(folder, "b-" + october.Name));
            // The third breaks the schema: every peak load negative.
            var broken = File.ReadAllText(RepoPaths.SampleFeed("power-grid-2024-11-r0.json"))
                .Replace("\"peakLoadMw\": ", "\"peakLoadMw\": -", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(folder, "c-broken.json"), broken);

            var (exit, stdout, stderr) = await RunAsync("push", folder, "--key", Keys.PowerGrid);

            Assert.True(exit == 1, $"exit {exit}; stdout: {stdout}; stderr: {stderr}");
            var headers = stdout.Split('\n').Where(l => l.StartsWith("== ", StringComparison.Ordinal)).Select(l => Path.GetFileName(l[3..].Trim())).ToList();
            Assert.Equal(["a-" + september.Name, "b-" + october.Name, "c-broken.json"], headers);
            Assert.Contains($"accepted {september.FeedId}", stdout, StringComparison.Ordinal);
            Assert.Contains($"accepted {october.FeedId}", stdout, StringComparison.Ordinal);
            Assert.Contains("peakLoadMw  minimum", stdout, StringComparison.Ordinal);
            Assert.Equal(200, (await Api.FeedStatusAsync(october.FeedId)).Status);
            // Standard error is redirected here: no progress line, no carriage return.
            Assert.DoesNotContain('\r', stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Push_SameFileTwice_SecondIsADuplicateAndExits0()
    {
        var path = RepoPaths.SampleFeed("environment-2024-07-r0.json");
        var first = await RunAsync("push", path, "--key", Keys.Environment);
        Assert.True(first.Exit == 0, $"exit {first.Exit}; {first.Stdout} {first.Stderr}");

        var (exit, stdout, stderr) = await RunAsync("push", path, "--key", Keys.Environment);

        Assert.True(exit == 0, $"exit {exit}; stdout: {stdout}; stderr: {stderr}");
        Assert.StartsWith("duplicate ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_InvalidSample_Exits1AndPrintsTheViolationWithItsPointer()
    {
        var (exit, stdout, stderr) = await RunAsync("push", RepoPaths.SampleFeed(Path.Combine("invalid", "nev-exceeds-total.json")), "--key", Keys.Transport);

        Assert.True(exit == 1, $"exit {exit}; stdout: {stdout}; stderr: {stderr}");
        Assert.Contains("/records/1/vehicles/2/nev", stdout, StringComparison.Ordinal);
        Assert.Contains("rule:nev-le-total", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_WrongKey_Exits2WithThe403ProblemAndWithoutEchoingTheKey()
    {
        var (exit, stdout, stderr) = await RunAsync("push", RepoPaths.SampleFeed("transport-2024-08-r0.json"), "--key", Keys.Statistics);

        Assert.True(exit == 2, $"exit {exit}; stdout: {stdout}; stderr: {stderr}");
        Assert.Contains("error 403 Not your source", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Keys.Statistics, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_NoHubListening_Exits2AndSaysWhere()
    {
        var nowhere = $"http://127.0.0.1:{Ports.Free()}";

        var (exit, _, stderr) =
            await RunAsync(
            ["push", RepoPaths.SampleFeed("transport-2024-08-r0.json"), "--key", Keys.Transport, "--hub", nowhere, "--timeout", "5"], withHub: false);

        Assert.Equal(2, exit);
        Assert.Contains(nowhere, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpsList_AfterAPush_ShowsTheProcessFeedInstance()
    {
        var feed = SampleFeed.Load("power-grid-2024-07-r0.json");
        await Api.PushAcceptedAsync(feed.Name);
        var instanceId = $"feed:{feed.Source}:{feed.Period}:{feed.FeedId[^16..]}";
        await Api.EventuallyAsync($"{instanceId} to exist", async () =>
        {
            var instance = await Api.InstanceAsync(instanceId);
            return (instance is not null, true, "not found");
        });

        var (exit, stdout, stderr) = await RunAsync("ops", "list", "--name", "ProcessFeed", "--key", Keys.Ops);

        Assert.True(exit == 0, $"exit {exit}; stdout: {stdout}; stderr: {stderr}");
        var header = stdout.Split('\n')[0];
        Assert.StartsWith("INSTANCE", header, StringComparison.Ordinal);
        var row = stdout.Split('\n').SingleOrDefault(l => l.StartsWith(instanceId + " ", StringComparison.Ordinal));
        Assert.True(row is not null, $"No row for {instanceId} in:{Environment.NewLine}{stdout}");
        Assert.Contains("ProcessFeed", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpsShow_AnInstance_PrintsItsFields()
    {
        var feed = SampleFeed.Load("power-grid-2024-08-r0.json");
        await Api.PushAcceptedAsync(feed.Name);
        var instanceId = $"feed:{feed.Source}:{feed.Period}:{feed.FeedId[^16..]}";
        await Api.EventuallyAsync($"{instanceId} to exist", async () =>
        {
            var instance = await Api.InstanceAsync(instanceId);
            return (instance is not null, true, "not found");
        });

        var (exit, stdout, stderr) = await RunAsync("ops", "show", instanceId, "--key", Keys.Ops);

        Assert.True(exit == 0, $"exit {exit}; stdout: {stdout}; stderr: {stderr}");
        var lines = stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains(lines, l => l.StartsWith("instanceId:", StringComparison.Ordinal) && l.EndsWith(" " + instanceId, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("name:", StringComparison.Ordinal) && l.EndsWith(" ProcessFeed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpsShow_UnknownInstance_Exits1WithThe404Problem()
    {
        var (exit, stdout, stderr) = await RunAsync("ops", "show", "feed:transport:1999-01:0000000000000000", "--key", Keys.Ops);

        Assert.True(exit == 1, $"exit {exit}; stdout: {stdout}; stderr: {stderr}");
        Assert.Contains("error 404 Unknown instance", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpsList_WrongKey_ExitsNonZeroWithThe401TitleAndWithoutEchoingTheKey()
    {
        const string wrong = "not-a-key-of-this-hub";

        var (exit, stdout, stderr) = await RunAsync("ops", "list", "--key", wrong);

        Assert.NotEqual(0, exit);
        Assert.Contains("error 401 Missing or unknown API key", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpsList_KeyFromTheEnvironment_IsUsed()
    {
        var (exit, stdout, stderr) = await RunAsync(["ops", "list"], withHub: true, environment: new() { ["HUB_OPS_KEY"] = Keys.Ops });

        Assert.True(exit == 0, $"exit {exit}; stdout: {stdout}; stderr: {stderr}");
        Assert.StartsWith("INSTANCE", stdout, StringComparison.Ordinal);
    }

    private Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => HubTool.RunAsync(Api.Address, args);

    private Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, bool withHub, Dictionary<string, string>? environment = null) =>
        HubTool.RunAsync(withHub ? Api.Address : null, args, environment);
}
