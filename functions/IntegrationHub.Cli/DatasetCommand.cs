using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using IntegrationHub.Core;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Cli;

/// <summary><c>hub dataset --period P files…</c>: recompute a period's data set from feed files, as consolidation does.</summary>
internal static class DatasetCommand
{
    public static Command Create()
    {
        var period = new Option<string>("--period") { Description = "Quarter (YYYY-Qn) or year (YYYY).", Required = true };
        var version = new Option<int>("--version") { Description = "Version number to stamp on the data set.", DefaultValueFactory = _ => 1 };
        var generatedAt = new Option<DateTimeOffset?>("--generated-at") { Description = "Timestamp to stamp (RFC 3339); default now. Fix it for reproducible output." };
        var files = new Argument<FileSystemInfo[]>("feeds")
        {
            Description = "Feed files or folders of feeds (*.json, searched recursively). Every revision given is considered; the latest of each source and period wins. Include the 2020 feeds for the changes against 2020.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("dataset", "Build the unified dual-carbon data set of a period from feed files and print it as JSON.")
        {
            period,
            version,
            generatedAt,
            files,
        };
        command.SetAction(result => Run(result.GetValue(period)!, result.GetValue(version), result.GetValue(generatedAt), result.GetValue(files)!));
        return command;
    }

    private static int Run(string periodText, int version, DateTimeOffset? generatedAt, FileSystemInfo[] inputs)
    {
        if (!Period.TryParse(periodText, out var period) || period.Kind == PeriodKind.Month)
        {
            Console.Error.WriteLine($"--period '{periodText}' is not a quarter (YYYY-Qn) or a year (YYYY); data sets are built per quarter and per year.");
            return ExitCodes.Unusable;
        }

        if (version < 1)
        {
            Console.Error.WriteLine("--version starts at 1.");
            return ExitCodes.Unusable;
        }

        var core = new HubCore();
        var accepted = new List<NormalisedFeed>();
        var paths = FeedFiles.Expand(inputs, out var notFound);
        foreach (var missing in notFound)
        {
            Console.Error.WriteLine($"not found: {missing}");
        }

        if (notFound.Count > 0)
        {
            return ExitCodes.Unusable;
        }

        foreach (var path in paths)
        {
            var check = core.Validator.Validate(File.ReadAllBytes(path));
            if (check.Feed is null)
            {
                Console.Error.WriteLine($"skipped {path}: {check.Report.Errors.Count} error(s); first: {check.Report.Errors[0].InstanceLocation} {check.Report.Errors[0].Keyword}: {check.Report.Errors[0].Message}");
                continue;
            }

            foreach (var warning in check.Report.Warnings)
            {
                Console.Error.WriteLine($"warning {path}: {warning.InstanceLocation} {warning.Keyword}: {warning.Message}");
            }

            accepted.Add(FeedNormaliser.Normalise(check.Feed));
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{accepted.Count} of {paths.Count} feed file(s) accepted; building {period}."));
        var dataset = core.Datasets.Build(period, accepted, version, generatedAt ?? DateTimeOffset.UtcNow);
        var json = JsonSerializer.SerializeToUtf8Bytes(dataset, HubJson.Options);

        using (var written = JsonDocument.Parse(json))
        {
            var problems = core.Schemas.Evaluate(core.Schemas.Dataset(), written.RootElement);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    Console.Error.WriteLine($"data set breaks its own schema: {problem.InstanceLocation} {problem.Keyword}: {problem.Message}");
                }

                return ExitCodes.InternalError;
            }
        }

        Console.Error.WriteLine($"{dataset.Period}: {dataset.Status}, {dataset.Areas.Count} areas, {dataset.Missing.Count} missing item(s), {dataset.Warnings.Count} warning(s).");
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(json);
        stdout.Write("\n"u8);
        return ExitCodes.Ok;
    }
}
