using IntegrationHub.Cli.Tests.Support;
using IntegrationHub.Core.Tests.Support;

namespace IntegrationHub.Cli.Tests;

/// <summary>
/// <c>hub push</c> and <c>hub ops</c> where no hub answers: usage and transport errors, and keys kept out of the
/// output. Against a running hub they are tested in the local host's tests.
/// </summary>
public class PushAndOpsCommandTests
{
    private const string SecretKey = "key-that-must-never-be-printed";

    private static (int ExitCode, string Stdout, string Stderr) Hub(IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        HubCli.Run(args, environment);

    /// <summary>A loopback URL where nothing listens: the port was free a moment ago and is closed again.</summary>
    private static string Nowhere() => $"http://127.0.0.1:{Ports.Free()}";

    private static string Sample(params string[] parts) => Path.Combine([RepoPaths.SampleFeeds, .. parts]);

    [Fact]
    public void Push_MissingFile_Exits2AndNamesIt()
    {
        var (exit, _, stderr) = Hub(["push", Sample("no-such-feed.json"), "--hub", Nowhere()]);

        Assert.Equal(2, exit);
        Assert.Contains("no-such-feed.json", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Push_FileThatStatesNoSourceAndNoSourceOption_Exits2AndAsksForOne()
    {
        var (exit, _, stderr) = Hub(["push", Sample("invalid", "malformed-json.json"), "--hub", Nowhere()]);

        Assert.Equal(2, exit);
        Assert.Contains("--source", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Push_NoHubListening_Exits2AndSaysWhereItLooked()
    {
        var hub = Nowhere();

        var (exit, stdout, stderr) = Hub(["push", Sample("2024", "transport-2024-06-r0.json"), "--hub", hub, "--key", SecretKey, "--timeout", "5"]);

        Assert.Equal(2, exit);
        Assert.Contains($"{hub}/api/feeds/transport", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:7071")]
    [InlineData("ftp://localhost:7071")]
    public void OpsList_HubThatIsNotAnHttpUrl_Exits2(string hub)
    {
        var (exit, _, stderr) = Hub(["ops", "list", "--hub", hub, "--key", SecretKey]);

        Assert.Equal(2, exit);
        Assert.Contains("--hub", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ops", "list")]
    [InlineData("reconcile", "")]
    [InlineData("supply", "")]
    [InlineData("subscribers", "list")]
    [InlineData("subscribers", "redeliver")]
    [InlineData("push", "")]
    public void AnyHubCommand_BadHubOrTimeout_Exits2NamingTheOptionAndAsksNothing(string command, string sub)
    {
        string[] head = sub.Length > 0 ? [command, sub] : [command];
        string[] extra = (command, sub) switch
        {
            ("subscribers", "redeliver") => ["carbon-market-desk", "--since", "2025-01-01T00:00:00Z"],
            ("push", _) => [Sample("2024", "transport-2024-06-r0.json")],
            _ => [],
        };

        // Data-set and supply reads are anonymous: no --key there.
        string[] key = command == "supply" ? [] : ["--key", SecretKey];
        var badHub = Hub([.. head, .. extra, "--hub", "ftp://localhost:7071", .. key]);
        var badTimeout = Hub([.. head, .. extra, "--hub", Nowhere(), .. key, "--timeout", "0"]);

        Assert.Equal(2, badHub.ExitCode);
        Assert.Contains("--hub 'ftp://localhost:7071' is not an http(s) URL", badHub.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badTimeout.ExitCode);
        Assert.Contains("--timeout is at least 1 second.", badTimeout.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, badHub.Stdout + badHub.Stderr + badTimeout.Stdout + badTimeout.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void OpsShow_WithoutAnInstanceId_Exits2()
    {
        var (exit, _, stderr) = Hub(["ops", "show", "--hub", Nowhere()]);

        Assert.Equal(2, exit);
        Assert.Contains("show", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void OpsList_HubUrlFromTheEnvironment_IsWhereItAsks()
    {
        var hub = Nowhere();

        var (exit, _, stderr) = Hub(["ops", "list", "--timeout", "5"], new Dictionary<string, string> { ["HUB_URL"] = hub, ["HUB_OPS_KEY"] = SecretKey });

        Assert.Equal(2, exit);
        Assert.Contains($"{hub}/api/ops/instances", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ops", "HUB_OPS_KEY")]
    [InlineData("push", "HUB_KEY")]
    public void Help_KeyInTheEnvironment_IsNotPrinted(string command, string variable)
    {
        var (exit, stdout, stderr) = Hub([command, "--help"], new Dictionary<string, string> { [variable] = SecretKey });

        Assert.Equal(0, exit);
        Assert.Contains("--key", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, stdout + stderr, StringComparison.Ordinal);
    }
}
