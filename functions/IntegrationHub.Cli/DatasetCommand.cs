using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using IntegrationHub.Core;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Reference;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Cli;

// hub dataset --period P files…: recompute a period's data set from feed files, as consolidation does.
internal static class DatasetCommand
{
    public static Command Create()
    {
        var period = new Option<string>("--period") { Description = "Quarter (YYYY-Qn) or year (YYYY).", Required = true };
        var version = new Option<int>("--version") { Description = "Version number to stamp on the data set.", DefaultValueFactory = _ => 1 };
        var generatedAt = new Option<DateTimeOffset?>("--generated-at") { Description = "Timestamp to stamp (RFC 3339); default now. Fix it for "
            + "reproducible output." };
        var files = new Argument<FileSystemInfo[]>("feeds")
        {
            Description = "Feed files or folders of feeds (*.json, searched recursively). Every revision given is considered; the latest of each "
                + "source and period wins. Include the 2020 feeds for the changes against 2020.",
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

        using var progress = ProgressLine.OnStandardError("checking feeds");
        for (var i = 0; i < paths.Count; i++)
        {
            var path = paths[i];
            progress.Step(i + 1, paths.Count, Path.GetFileName(path));
            var check = core.Validator.Validate(File.ReadAllBytes(path));
            if (check.Feed is null || check.Report.Warnings.Count > 0)
            {
                progress.Clear();
            }

            if (check.Feed is null)
            {
                Console.Error.WriteLine($"skipped {path}: {check.Report.Errors.Count} error(s); first: {check.Report.Errors[0].InstanceLocation} "
                    + $"{check.Report.Errors[0].Keyword}: {check.Report.Errors[0].Message}");
                continue;
            }

            foreach (var warning in check.Report.Warnings)
            {
                Console.Error.WriteLine($"warning {path}: {warning.InstanceLocation} {warning.Keyword}: {warning.Message}");
            }

            accepted.Add(FeedNormaliser.Normalise(check.Feed));
        }

        progress.Clear();
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

        Console.Error.WriteLine($"{dataset.Period}: {dataset.Status}, {dataset.Areas.Count} areas, {dataset.Missing.Count} missing item(s), "
            + $"{dataset.Warnings.Count} warning(s).");
        WriteHeadlines(Console.Error, dataset, core.Reference);
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(json);
        stdout.Write("\n"u8);
        return ExitCodes.Ok;
    }

    // The New Area's headline figures, each area's energy and CO2, and the targets, on standard error beside the
    // summary (standard output stays the data set alone, for scripts): which basis each figure is on, as the data set's
    // methodology block says. Areas are named as the reference data names them, the code beside the name.
    private static void WriteHeadlines(TextWriter output, DatasetDocument dataset, ReferenceData reference)
    {
        output.WriteLine($"methodology {dataset.MethodologyVersion}: electricity {dataset.Methodology?.Electricity ?? "equivalent value"}, non-fossil "
            + $"{dataset.Methodology?.NonFossil ?? "-"}, "
            + $"assessed energy {dataset.Methodology?.AssessedEnergy ?? "-"}, quarterly targets {dataset.Methodology?.QuarterlyTargets ?? "-"}");
        var name = AreaName(reference, reference.Root.Code);
        var root = dataset.Areas.FirstOrDefault(a => a.AreaCode == reference.Root.Code);
        if (root is null)
        {
            output.WriteLine($"{name}: no figures.");
            return;
        }

        string Figure(AreaIndicators area, string id, string format) =>
            area.Indicators.TryGetValue(id, out var v) ? v.Value.ToString(format,
                CultureInfo.InvariantCulture) + (v.Quality == "estimated" ? " (estimated)" : "") : "-";
        output.WriteLine($"{name} energy {Figure(root, "energy.totalTce", "N0")} tce, assessed {Figure(root, "energy.assessedTce", "N0")} tce "
            + $"(feedstock {Figure(root, "energy.feedstockTce", "N0")}); "
            + $"assessed intensity {Figure(root, "energy.assessedIntensity", "0.0000")} tce/10k CNY "
                + $"({Figure(root, "energy.assessedIntensityChangeVs2020Pct", "0.00")} % vs 2020)");
        output.WriteLine($"{name} non-fossil {Figure(root, "energy.nonFossilSharePct", "0.00")} % of energy (grid share "
            + $"{Figure(root, "power.gridNonFossilSharePct", "0.00")} %); "
            + $"electricity {Figure(root, "energy.electricityShareOfFinalPct", "0.00")} % of final energy; coal "
                + $"{Figure(root, "energy.coalSharePct", "0.00")} %");
        output.WriteLine($"{name} carbon {Figure(root, "carbon.totalTco2", "N0")} t CO2, intensity {Figure(root, "carbon.intensity", "0.0000")} t/10k "
            + $"CNY ({Figure(root, "carbon.intensityChangeVs2020Pct", "0.00")} % vs 2020); "
            + $"electricity market-based {Figure(root, "carbon.electricityMarketTco2", "N0")} t");
        string[] sectors = ["industry", "construction", "transport", "commercial", "residential", "agriculture"];
        output.WriteLine($"{name} by sector (tce / t CO2): " + string.Join(", ",
            sectors.Select(s => $"{s} {Figure(root, $"energy.sector.{s}Tce", "N0")} / {Figure(root, $"carbon.sector.{s}Tco2", "N0")}")));

        // Every area of the data set, indented under its parent as the reference data nests them.
        output.WriteLine("by area (energy tce / t CO2):");
        foreach (var area in dataset.Areas)
        {
            var indent = new string(' ', 2 * (1 + Depth(reference, area.AreaCode)));
            output.WriteLine($"{indent}{AreaName(reference, area.AreaCode)} {Figure(area, "energy.totalTce", "N0")} / "
                + $"{Figure(area, "carbon.totalTco2", "N0")}");
        }

        foreach (var target in dataset.Targets)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"target {target.Id} [{target.Basis ?? "not assessed"}]: {target.Status}, "
                + $"actual {target.Actual?.ToString("0.####", CultureInfo.InvariantCulture) ?? "-"}, "
                + $"required {target.Required?.ToString("0.####", CultureInfo.InvariantCulture) ?? "-"} ({target.Comparator} "
                    + $"{target.Threshold?.ToString(CultureInfo.InvariantCulture) ?? "-"})"));
        }
    }

    // An area as people know it: 望月湖街道 (430104001); the bare code when the reference data lacks it.
    private static string AreaName(ReferenceData reference, string code) =>
        reference.FindArea(code) is { } area ? $"{area.NameZh} ({code})" : code;

    private static int Depth(ReferenceData reference, string code)
    {
        var depth = 0;
        for (var area = reference.FindArea(code); area?.Parent is { } parent && depth < 10; area = reference.FindArea(parent))
        {
            depth++;
        }

        return depth;
    }
}
