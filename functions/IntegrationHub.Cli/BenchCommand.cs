using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using IntegrationHub.Benchmarking;
using IntegrationHub.Core;
using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Cli;

/// <summary>
/// <c>hub bench</c>: a quick side-by-side measurement anyone can run: records validated per second by the hub, by
/// <c>JsonDocument.Parse</c> (the ceiling) and by NJsonSchema (the peer) on the same generated feeds, with the ratios.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var source = new Option<string>("--source") { Description = "Feed family to generate (statistics, power-grid, transport, environment).", DefaultValueFactory = _ => FeedSource.Statistics };
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated record counts, 1 to 5000 each.", DefaultValueFactory = _ => "50,500,5000" };
        var budget = new Option<double>("--budget") { Description = "Seconds of measuring in all, shared equally by every feed and validator. Each validator's first check is untimed and its last may run past its share, so the whole run takes some seconds more.", DefaultValueFactory = _ => 40 };
        var command = new Command(
            "bench",
            "Measure validation speed side by side on generated feeds (a valid and an invalid one per size) and print JSON: records/s and median "
            + "per validator, the verdicts, and the hub's ratios to JsonDocument.Parse and NJsonSchema. The full suite is tests/IntegrationHub.Benchmarks.")
        {
            source,
            sizes,
            budget,
        };
        command.SetAction(result => Run(result.GetValue(source)!, result.GetValue(sizes)!, result.GetValue(budget)));
        return command;
    }

    private static int Run(string source, string sizesText, double budgetSeconds)
    {
        if (!FeedSource.IsKnown(source))
        {
            Console.Error.WriteLine($"--source '{source}' is not one of: {string.Join(", ", FeedSource.All)}.");
            return ExitCodes.Unusable;
        }

        var sizes = new List<int>();
        foreach (var part in sizesText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size is < 1 or > FeedGenerator.MaxRecords)
            {
                Console.Error.WriteLine($"--sizes: '{part}' is not a record count from 1 to {FeedGenerator.MaxRecords}.");
                return ExitCodes.Unusable;
            }

            sizes.Add(size);
        }

        if (sizes.Count == 0)
        {
            Console.Error.WriteLine("--sizes: give at least one record count.");
            return ExitCodes.Unusable;
        }

        if (!double.IsFinite(budgetSeconds) || budgetSeconds <= 0 || budgetSeconds > 600)
        {
            Console.Error.WriteLine("--budget: give the seconds of measuring, above 0 and at most 600.");
            return ExitCodes.Unusable;
        }

        var report = SideBySide.Standard(new HubCore()).Run(source, sizes, TimeSpan.FromSeconds(budgetSeconds));
        Console.Out.WriteLine(JsonSerializer.Serialize(report, HubJson.Options));
        return ExitCodes.Ok;
    }
}
