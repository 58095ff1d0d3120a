using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using IntegrationHub.Benchmarking;
using IntegrationHub.Cli;
using IntegrationHub.Core;
using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Bench;

// hub-bench (kept out of the installed hub tool): a quick side-by-side measurement anyone can run: records validated
// per second by the hub, by JsonDocument.Parse (the ceiling) and by NJsonSchema (the peer) on the same generated feeds,
// with the ratios; and, given a running hub, end-to-end latency from a period's feeds pushed to their data set served.
internal static class BenchCommand
{
    public static RootCommand Create()
    {
        var source = new Option<string>("--source") { Description = "Feed family to generate (statistics, power-grid, transport, environment).",
            DefaultValueFactory = _ => FeedSource.Statistics };
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated record counts, 1 to 5000 each.", DefaultValueFactory = _ => "50,500,5000" };
        var budget = new Option<double>("--budget") { Description = "Seconds of measuring in all, shared equally by every feed and validator. Each "
            + "validator's first check is untimed and its last may run past its share, so the whole run takes some seconds more.",
                DefaultValueFactory = _ => 40 };
        var hub = new Option<string?>("--hub") { Description = "A running hub (http://localhost:7071 for the local one): also measure end-to-end "
            + "latency there." };
        var runs = new Option<int>("--runs") { Description = "End-to-end runs (with --hub); each pushes every feed of the period as its next revision.",
            DefaultValueFactory = _ => 5 };
        var period = new Option<string>("--period") { Description = "The data set timed end to end (a quarter or a year).",
            DefaultValueFactory = _ => "2024-Q2" };
        var feeds = new Option<DirectoryInfo?>("--feeds") { Description = "Folder of that period's feeds; default: the repository's sample feeds of "
            + "the period's year." };
        var keys = new Option<string?>("--keys")
        {
            Description = $"Keys as source=key,...,ops=key (or ${KeysVariable}); default: the local host's sample keys (local.settings.sample.json).",
        };
        var endToEndOnly = new Option<bool>("--end-to-end-only") { Description = "With --hub: skip the validation measurement." };
        var command = new RootCommand(
            "hub-bench: measure validation speed side by side on generated feeds (a valid and an invalid one per size) and print JSON: records/s and median "
            + "per validator, the verdicts, and the hub's ratios to JsonDocument.Parse and NJsonSchema. With --hub, also the end-to-end latency "
            + "(p50/p95) from a period's feeds pushed together to their data set served, as {validation, endToEnd}. The full suite is "
                + "tests/IntegrationHub.Benchmarks.")
        {
            source,
            sizes,
            budget,
            hub,
            runs,
            period,
            feeds,
            keys,
            endToEndOnly,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            new Settings(
                result.GetValue(source)!, result.GetValue(sizes)!, result.GetValue(budget), result.GetValue(hub),
                    result.GetValue(runs), result.GetValue(period)!,
                result.GetValue(feeds), result.GetValue(keys) ?? Environment.GetEnvironmentVariable(KeysVariable), result.GetValue(endToEndOnly)),
            cancellationToken));
        return command;
    }

    public const string KeysVariable = "HUB_BENCH_KEYS";

    // The local host's sample keys (local.settings.sample.json): public, and accepted only by a hub configured with
    // them.
    private const string SampleKeys = "statistics=local-statistics-key,power-grid=local-power-grid-key,transport=local-transport-key,"
        + "environment=local-environment-key,ops=local-ops-key";

    private sealed record Settings(
        string Source, string Sizes, double Budget, string? Hub, int Runs, string Period, DirectoryInfo? Feeds, string? Keys, bool EndToEndOnly);

    private static async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Hub is null)
        {
            return Run(settings.Source, settings.Sizes, settings.Budget, out var alone) is var exit && alone is null
                ? exit
                : Print(alone);
        }

        if (!HubClient.TryParseBase(settings.Hub, out var hub, out var error))
        {
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            return ExitCodes.Unusable;
        }

        if (settings.Runs is < 1 or > 1000)
        {
            await Console.Error.WriteLineAsync("--runs: give from 1 to 1000 runs.").ConfigureAwait(false);
            return ExitCodes.Unusable;
        }

        if (!Period.TryParse(settings.Period, out var period) || period.Kind == PeriodKind.Month)
        {
            await Console.Error.WriteLineAsync($"--period '{settings.Period}' is not a quarter (YYYY-Qn) or a year (YYYY): data sets are built for "
                + $"those.").ConfigureAwait(false);
            return ExitCodes.Unusable;
        }

        if (ParseKeys(settings.Keys ?? SampleKeys) is not { } keys)
        {
            await Console.Error.WriteLineAsync("--keys: give source=key pairs separated by commas (statistics, power-grid, transport, environment and "
                + "ops).").ConfigureAwait(false);
            return ExitCodes.Unusable;
        }

        var folder = settings.Feeds?.FullName ?? SampleFeedsOf(period.Year);
        if (folder is null || !Directory.Exists(folder))
        {
            await Console.Error.WriteLineAsync($"--feeds: no folder of {period.Year} feeds "
                + $"{(folder is null ? "found under local-dev/sample-feeds here or above" : $"at {folder}")}.").ConfigureAwait(false);
            return ExitCodes.Unusable;
        }

        var feeds = EndToEndLatency.FeedsOf(period, folder);
        if (feeds.Count == 0)
        {
            await Console.Error.WriteLineAsync($"--feeds: {folder} holds no feed that the data set of {period} reads.").ConfigureAwait(false);
            return ExitCodes.Unusable;
        }

        object? validation = null;
        if (!settings.EndToEndOnly)
        {
            var exit = Run(settings.Source, settings.Sizes, settings.Budget, out var report);
            if (report is null)
            {
                return exit;
            }

            validation = report;
        }

        EndToEndReport endToEnd;
        try
        {
            endToEnd = await new EndToEndLatency(hub!, keys, Console.Error).RunAsync(period, feeds, settings.Runs, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or InvalidOperationException or JsonException)
        {
            await Console.Error.WriteLineAsync($"End-to-end run against {hub} failed: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Unusable;
        }

        return Print(new { validation, endToEnd });
    }

    private static int Print(object report)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(report, HubJson.Options));
        return ExitCodes.Ok;
    }

    private static Dictionary<string, string>? ParseKeys(string text)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var cut = pair.IndexOf('=', StringComparison.Ordinal);
            if (cut <= 0 || cut == pair.Length - 1)
            {
                return null;
            }

            keys[pair[..cut]] = pair[(cut + 1)..];
        }

        return keys.Count == 0 ? null : keys;
    }

    // The repository's sample feeds of a year, looked for from the working directory upwards.
    private static string? SampleFeedsOf(int year)
    {
        for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "local-dev", "sample-feeds", year.ToString(CultureInfo.InvariantCulture));
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static int Run(string source, string sizesText, double budgetSeconds, out object? report)
    {
        report = null;
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

        using var progress = ProgressLine.OnStandardError("measuring feed");
        report = SideBySide.Standard(new HubCore()).Run(source, sizes, TimeSpan.FromSeconds(budgetSeconds), (i, n, what) => progress.Step(i, n, what));
        return ExitCodes.Ok;
    }
}
