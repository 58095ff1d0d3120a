using System.Text.Json;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.Cli;

/// <summary>
/// <c>hub supply</c> against the local host with its clock at 2023-02-20 12:00 China time and no feed. By the supply
/// reference file, January 2023 was due 02-10 (power grid) and 02-15 (transport): missing; environment's is due 02-28
/// and statistics' 2023-Q1 on 04-25: pending.
/// </summary>
public sealed class HubSupplyCliTests(HubSupplyCliTests.FebruaryHub hub) : IClassFixture<HubSupplyCliTests.FebruaryHub>
{
    [Fact]
    public async Task Supply_Table_OneRowPerSourceAndPeriod_WithDueDayAndState()
    {
        var (exit, stdout, stderr) = await HubTool.RunAsync(hub.Api.Address, ["supply", "--to", "2023-01"]);

        Assert.True(exit == 0, $"exit {exit}; stdout: {stdout}; stderr: {stderr}");
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.StartsWith("SOURCE PERIOD DUE BY STATE", rows[0], StringComparison.Ordinal);
        // Periods ending by January 2023: the three months (statistics has no quarter or year ending then).
        Assert.Equal(
            ["power-grid 2023-01 2023-02-10 missing - ", "transport 2023-01 2023-02-15 missing - ", "environment 2023-01 2023-02-28 pending - "],
            rows.Skip(1).Take(3).Select(r => r + " "));
        Assert.Equal("3 period(s): pending 1, received 0, revised 0, late 0, missing 2", rows[4]);
    }

    [Fact]
    public async Task Supply_Json_TheHubsAnswer_StatisticsQuarterPending()
    {
        var (exit, stdout, stderr) = await HubTool.RunAsync(hub.Api.Address, ["supply", "--source", "statistics", "--json"]);

        Assert.True(exit == 0, $"exit {exit}; stdout: {stdout}; stderr: {stderr}");
        var cells = JsonDocument.Parse(stdout).RootElement.GetProperty("cells").EnumerateArray()
            .Select(c => $"{c.GetProperty("period").GetString()} {c.GetProperty("dueBy").GetString()} {c.GetProperty("state").GetString()}");
        Assert.Equal(["2023 2024-03-31 pending", "2023-Q1 2023-04-25 pending"], cells);
    }

    [Fact]
    public async Task Supply_UnknownSource_Exits1WithTheProblemNamingTheParameter()
    {
        var (exit, _, stderr) = await HubTool.RunAsync(hub.Api.Address, ["supply", "--source", "water"]);

        Assert.Equal(1, exit);
        Assert.Contains("error 400 Invalid supply query", stderr, StringComparison.Ordinal);
        Assert.Contains("(parameter 'source')", stderr, StringComparison.Ordinal);
    }

    public sealed class FebruaryHub : EndToEndHub
    {
        protected override TimeProvider? Clock { get; } = new FixedDayClock(new DateTimeOffset(2023, 2, 20, 12, 0, 0, TimeSpan.FromHours(8)));
    }

    /// <summary>The system clock shifted to a date; it keeps running from there.</summary>
    private sealed class FixedDayClock(DateTimeOffset start) : TimeProvider
    {
        private readonly TimeSpan shift = start - System.GetUtcNow();

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
