using System.Text.Json;
using IntegrationHub.Cli.Tests.Support;
using IntegrationHub.Core.Tests.Support;

namespace IntegrationHub.Cli.Tests;

/// <summary><c>hub-bench</c>, the measurement tool kept out of the installed <c>hub</c>: a separate process, as run.</summary>
public class BenchToolTests
{
    private static (int ExitCode, string Stdout, string Stderr) Bench(params string[] args) => HubCli.Run("hub-bench.dll", args, null);

    [Fact]
    public void Bench_TinyBudget_PrintsEveryValidatorPerFeedAndTheirVerdictsAgree()
    {
        var (exit, stdout, stderr) = Bench("--sizes", "1,50", "--budget", "1");
        Assert.True(exit == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        var root = report.RootElement;
        Assert.True(root.GetProperty("machine").GetProperty("processorCount").GetInt32() > 0);
        Assert.Equal("statistics", root.GetProperty("source").GetString());

        var feeds = root.GetProperty("feeds").EnumerateArray().ToArray();
        Assert.Equal(
            [(1, true), (1, false), (50, true), (50, false)], feeds.Select(f => (f.GetProperty("records").GetInt32(), f.GetProperty("valid").GetBoolean())));
        foreach (var feed in feeds)
        {
            var validators = feed.GetProperty("validators");
            Assert.Equal(["hub", "jsonDocumentParse", "njsonschema"], validators.EnumerateObject().Select(v => v.Name));
            foreach (var validator in validators.EnumerateObject().Select(v => v.Value))
            {
                Assert.True(validator.GetProperty("checks").GetInt32() >= 1);
                Assert.True(validator.GetProperty("medianMs").GetDouble() > 0);
                Assert.True(validator.GetProperty("recordsPerSecond").GetDouble() > 0);
            }

            // The hub and its peer reach the generated feed's verdict; parsing alone can only say it is well-formed.
            var expected = feed.GetProperty("valid").GetBoolean() ? "Valid" : "Invalid";
            Assert.Equal(expected, validators.GetProperty("hub").GetProperty("verdict").GetString());
            Assert.Equal(expected, validators.GetProperty("njsonschema").GetProperty("verdict").GetString());
            Assert.Equal("WellFormed", validators.GetProperty("jsonDocumentParse").GetProperty("verdict").GetString());

            var ratios = feed.GetProperty("ratios");
            Assert.Equal(["hubVsJsonDocumentParse", "hubVsNJsonSchema"], ratios.EnumerateObject().Select(r => r.Name));
            Assert.All(ratios.EnumerateObject(), r => Assert.True(r.Value.GetDouble() > 0));
        }
    }

    [Theory]
    [InlineData("--sizes", "0")]
    [InlineData("--sizes", "5001")]
    [InlineData("--source", "weather")]
    [InlineData("--budget", "0")]
    public void Bench_UnusableOption_Exits2NamingIt(string option, string value)
    {
        var (exit, _, stderr) = Bench(option, value);
        Assert.Equal(2, exit);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
    }
}
