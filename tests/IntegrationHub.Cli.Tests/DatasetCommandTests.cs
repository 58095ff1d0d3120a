using System.Text.Json;
using IntegrationHub.Cli.Tests.Support;
using IntegrationHub.Core.Tests.Support;

namespace IntegrationHub.Cli.Tests;

/// <summary><c>hub dataset</c> as users run it: a separate process, its exit code, its standard output and error.</summary>
public class DatasetCommandTests
{
    private static (int ExitCode, string Stdout, string Stderr) Hub(params string[] args) => Processes.Hub(args);

    private static string Sample(params string[] parts) => Path.Combine([RepoPaths.SampleFeeds, .. parts]);

    [Fact]
    public void Dataset_SampleQuarter_PrintsACompleteDataSetValidAgainstItsSchema()
    {
        var (exit, stdout, stderr) = Hub("dataset", "--period", "2024-Q4", "--generated-at", "2025-04-01T00:00:00+08:00", Sample("2020"), Sample("2024"));
        Assert.True(exit == 0, stderr);
        using var dataset = JsonDocument.Parse(stdout);
        var root = dataset.RootElement;
        Assert.Equal("2024-Q4", root.GetProperty("period").GetString());
        Assert.Equal("complete", root.GetProperty("status").GetString());
        Assert.Empty(TestCore.Core.Schemas.Evaluate(TestCore.Core.Schemas.Dataset(), root));

        // The verified release (revision 1) of statistics 2024-Q4 replaces the preliminary one.
        var statisticsInputs = root.GetProperty("inputs").EnumerateArray()
            .Where(i => i.GetProperty("source").GetString() == "statistics" && i.GetProperty("period").GetString() == "2024-Q4")
            .Select(i => i.GetProperty("revision").GetInt32());
        Assert.Equal([1], statisticsInputs);

        var xjna = root.GetProperty("areas").EnumerateArray().Single(a => a.GetProperty("areaCode").GetString() == "XJNA");
        var intensity = xjna.GetProperty("indicators").GetProperty("energy.intensity").GetProperty("value").GetDouble();
        Assert.InRange(intensity, 0.1, 0.6); // domain.md: a few tenths of a tce per 10k CNY
        Assert.Equal(9, root.GetProperty("targets").GetArrayLength());   // contract 2.0 lists nine
    }

    [Fact]
    public void Dataset_SampleQuarter_PrintsTheMethodologyHeadlinesAndEveryTargetWithItsBasisOnStandardError()
    {
        var (exit, stdout, stderr) = Hub("dataset", "--period", "2024-Q4", "--generated-at", "2025-04-01T00:00:00+08:00", Sample("2020"), Sample("2024"));
        Assert.True(exit == 0, stderr);
        using var dataset = JsonDocument.Parse(stdout);

        Assert.Contains("methodology 2.0: electricity coal-equivalent-of-generation, non-fossil pv-plus-grid-mix", stderr, StringComparison.Ordinal);
        Assert.Contains("湖南湘江新区 (XJNA) non-fossil ", stderr, StringComparison.Ordinal);
        Assert.Contains("assessed intensity ", stderr, StringComparison.Ordinal);
        Assert.Contains("湖南湘江新区 (XJNA) by sector (tce / t CO2): industry ", stderr, StringComparison.Ordinal);
        foreach (var target in dataset.RootElement.GetProperty("targets").EnumerateArray())
        {
            var basis = target.GetProperty("basis").GetString() ?? "not assessed";
            Assert.Contains(
                $"target {target.GetProperty("id").GetString()} [{basis}]: {target.GetProperty("status").GetString()},", stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Dataset_SampleQuarter_NamesEveryAreaInChineseWithItsCode()
    {
        var (exit, stdout, stderr) = Hub("dataset", "--period", "2024-Q4", "--generated-at", "2025-04-01T00:00:00+08:00", Sample("2020"), Sample("2024"));
        Assert.True(exit == 0, stderr);
        using var dataset = JsonDocument.Parse(stdout);

        // The names of the reference data (areas.json), the code beside each: the headlines name the New Area, and
        // each area of the data set has its line with its energy and CO2, a street indented under its district.
        Assert.Contains("湖南湘江新区 (XJNA) energy ", stderr, StringComparison.Ordinal);
        Assert.Contains("湖南湘江新区 (XJNA) carbon ", stderr, StringComparison.Ordinal);
        var lines = stderr.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var byArea = lines.IndexOf("by area (energy tce / t CO2):");
        Assert.True(byArea >= 0, stderr);
        var areaLines = lines.Skip(byArea + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        var codes = dataset.RootElement.GetProperty("areas").EnumerateArray().Select(a => a.GetProperty("areaCode").GetString()!).ToList();
        Assert.Equal(codes.Count, areaLines.Count);
        Assert.Contains(areaLines, l => l.StartsWith("  湖南湘江新区 (XJNA) ", StringComparison.Ordinal));
        Assert.Contains(areaLines, l => l.StartsWith("    岳麓区 (430104) ", StringComparison.Ordinal));
        Assert.Contains(areaLines, l => l.StartsWith("      望月湖街道 (430104001) ", StringComparison.Ordinal));
        Assert.Contains(areaLines, l => l.StartsWith("    望城区（新区托管街镇） (WCM) ", StringComparison.Ordinal));
        foreach (var code in codes)
        {
            // Never a bare code: every area of the data set is in the reference data, so each line has a name first.
            Assert.Contains(areaLines, l => l.Contains($" ({code}) ", StringComparison.Ordinal) && !l.TrimStart().StartsWith(code, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Dataset_MissingMonths_IsPartialAndListsThem()
    {
        var (exit, stdout, _) = Hub("dataset", "--period", "2025", Sample("2020"), Sample("2025"));
        Assert.Equal(0, exit);
        using var dataset = JsonDocument.Parse(stdout);
        Assert.Equal("partial", dataset.RootElement.GetProperty("status").GetString());
        var missing = dataset.RootElement.GetProperty("missing").EnumerateArray().Select(m => m.GetString()).ToArray();
        Assert.Contains("statistics:2025", missing);
        Assert.Contains("power-grid:2025-12", missing);
        Assert.Contains("transport:2025-10", missing);
    }

    [Theory]
    [InlineData("2024-03")]
    [InlineData("24Q1")]
    public void Dataset_PeriodThatIsNotAQuarterOrYear_Exits2(string period)
    {
        var (exit, _, stderr) = Hub("dataset", "--period", period, Sample("2024"));
        Assert.Equal(2, exit);
        Assert.Contains("--period", stderr, StringComparison.Ordinal);
    }
}
