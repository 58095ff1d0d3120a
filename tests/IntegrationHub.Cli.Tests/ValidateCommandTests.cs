using System.Text.Json;
using IntegrationHub.Cli.Tests.Support;
using IntegrationHub.Core.Tests.Support;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Cli.Tests;

/// <summary>
/// <c>hub validate</c> run as users run it (a separate process, its exit code and output); the process-wide regex
/// timeout is in effect before a schema loads.
/// </summary>
public class ValidateCommandTests
{
    private static (int ExitCode, string Stdout, string Stderr) Hub(params string[] args) => Processes.Hub(args);

    private static string Sample(params string[] parts) => Path.Combine([RepoPaths.SampleFeeds, .. parts]);

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

    [Fact]
    public void Validate_ValidSample_PrintsAValidReportAndExits0()
    {
        var (exit, stdout, _) = Hub("validate", Sample("2024", "transport-2024-06-r0.json"));
        Assert.Equal(0, exit);
        using var report = JsonDocument.Parse(stdout);
        Assert.True(report.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(0, report.RootElement.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public void Validate_InvalidSample_PrintsEveryErrorAndExits1()
    {
        var (exit, stdout, _) = Hub("validate", Sample("invalid", "nev-exceeds-total.json"));
        Assert.Equal(1, exit);
        using var report = JsonDocument.Parse(stdout);
        Assert.False(report.RootElement.GetProperty("valid").GetBoolean());
        var error = report.RootElement.GetProperty("errors")[0];
        Assert.Equal("rule:nev-le-total", error.GetProperty("keyword").GetString());
        Assert.StartsWith("/records/", error.GetProperty("instanceLocation").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("malformed-json.json")]
    [InlineData("invalid-utf8.json")]
    [InlineData("duplicate-json-property.json")]
    public void Validate_UnusableInput_Exits2WithAReport(string file)
    {
        var (exit, stdout, _) = Hub("validate", Sample("invalid", file));
        Assert.Equal(2, exit);
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal("Unusable", report.RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public void Validate_MissingFile_Exits2AndSaysSo()
    {
        var (exit, _, stderr) = Hub("validate", Sample("no-such-feed.json"));
        Assert.Equal(2, exit);
        Assert.Contains("no-such-feed.json", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SourceOptionDifferentFromFeed_Exits1()
    {
        var (exit, stdout, _) = Hub("validate", "--source", "environment", Sample("2024", "transport-2024-06-r0.json"));
        Assert.Equal(1, exit);
        Assert.Contains("rule:source-matches-url", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AgainstADraftedSchemaFile_ReportsThatSchemasViolationsOnly()
    {
        using var folder = new TempFolder();
        var draft = folder.Write("transport-1.1.schema.json", """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.org/transport/1.1",
             "type": "object", "required": ["records", "dataSteward"],
             "properties": {"records": {"type": "array", "items": {"type": "object", "required": ["areaCode"]}}}}
            """);

        var (exit, stdout, stderr) = Hub("validate", "--schema", draft, Sample("2024", "transport-2024-06-r0.json"));

        Assert.True(exit == 1, $"exit {exit}: {stderr}");
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal("https://example.org/transport/1.1", report.RootElement.GetProperty("schemaId").GetString());
        var error = Assert.Single(report.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(("required", ""), (error.GetProperty("keyword").GetString(), error.GetProperty("instanceLocation").GetString()));
        Assert.Contains("dataSteward", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DraftedSchemaFileThatIsNotASchema_Exits2NamingIt()
    {
        using var folder = new TempFolder();
        var draft = folder.Write("broken.schema.json", "{\"type\": ");

        var (exit, stdout, stderr) = Hub("validate", "--schema", draft, Sample("2024", "transport-2024-06-r0.json"));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("broken.schema.json", stderr, StringComparison.Ordinal);
    }
}
