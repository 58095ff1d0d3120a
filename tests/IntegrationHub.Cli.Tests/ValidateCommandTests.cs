using System.Text.Json;
using IntegrationHub.Cli.Tests.Support;
using IntegrationHub.Core.Tests.Support;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Cli.Tests;

/// <summary><c>hub validate</c> run as users run it: the process-wide regex timeout is in effect before a schema loads.</summary>
public class ValidateCommandTests
{
    [Fact]
    public void HubCli_PatternThatBacktracksWithoutEnd_StoppedByTheProcessWideTimeoutAndReportedAtTheValue()
    {
        // JsonSchema.Net builds its own Regex from the pattern text, so only the process-wide default can stop it; the
        // Core tests run without it (they load the catalogue as a library), so the check runs where users meet it: `hub`, which applies it first.
        // Unstopped, ^(a+)+$ against 40 a's and a '!' backtracks for hours.
        using var folder = new TempFolder();
        var schema = folder.Write("draft.schema.json", """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.org/draft",
             "type": "object", "properties": {"records": {"type": "array", "items": {"type": "string", "pattern": "^(a+)+$"}}}}
            """);
        var feed = folder.Write("feed.json", $"{{\"records\":[\"aaa\",\"{new string('a', 40)}!\"]}}");

        var (exit, stdout, stderr) = HubCli.Run("validate", "--schema", schema, feed);

        Assert.True(exit == 1, $"exit {exit}: {stderr}");
        using var report = JsonDocument.Parse(stdout);
        var issue = Assert.Single(report.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("pattern", issue.GetProperty("keyword").GetString());
        Assert.Equal("/records/1", issue.GetProperty("instanceLocation").GetString());
        Assert.Contains($"took longer than {RegexTimeout.Default.TotalMilliseconds} ms", issue.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void HubCli_StartedAsUsersStartIt_LoadsTheSchemasWithTheRegexTimeoutInEffect()
    {
        // The catalogue refuses to load without the timeout, so a `hub validate` that answers proves the entry point sets it first.
        var (exit, _, stderr) = HubCli.Run("validate", Path.Combine(RepoPaths.SampleFeeds, "2024", "transport-2024-06-r0.json"));

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.DoesNotContain("RegexTimeout", stderr, StringComparison.Ordinal);
    }
}
