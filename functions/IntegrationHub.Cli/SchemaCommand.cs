using System.CommandLine;
using IntegrationHub.Core.Evolution;
using IntegrationHub.Core.Parsing;

namespace IntegrationHub.Cli;

// hub schema check: the schema evolution gate the build and the hub's start-up run, on a folder of drafts.
internal static class SchemaCommand
{
    public static Command Create()
    {
        var command = new Command("schema", "Feed schemas: check that a new version can be published.");
        command.Subcommands.Add(Check());
        return command;
    }

    private static Command Check()
    {
        var schemas = new Option<DirectoryInfo?>("--schemas")
        {
            Description = "A schemas folder (with feeds/{source}/{MAJOR.MINOR}.schema.json inside, or the feeds folder itself); default: the schemas "
                + "this hub tool was built with.",
        };
        var feeds = new Option<FileSystemInfo[]>("--feeds")
        {
            Description = "Feed files or folders (*.json, searched recursively) to replay: each one valid under a version must stay valid under the "
                + "next minor. The schemas' own examples are always replayed.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command(
            "check",
            "Check every feed schema version against the one before it: a minor version must accept every feed the one before accepted "
            + "(compared keyword by keyword, and by replaying feeds); a new major must be mapped to the data set. "
            + "Prints a report; exit 0 when every version passes, 1 when one is refused, 2 when the input is unusable.")
        {
            schemas,
            feeds,
        };
        command.SetAction(result => Run(result.GetValue(schemas), result.GetValue(feeds) ?? []));
        return command;
    }

    private static int Run(DirectoryInfo? schemasFolder, FileSystemInfo[] feedInputs)
    {
        if (schemasFolder is not null && !schemasFolder.Exists)
        {
            Console.Error.WriteLine($"not found: {schemasFolder}");
            return ExitCodes.Unusable;
        }

        var paths = FeedFiles.Expand(feedInputs, out var notFound);
        foreach (var missing in notFound)
        {
            Console.Error.WriteLine($"not found: {missing}");
        }

        if (notFound.Count > 0)
        {
            return ExitCodes.Unusable;
        }

        FeedSchemaSet set;
        try
        {
            set = schemasFolder is null ? FeedSchemaSet.Embedded() : FeedSchemaSet.FromDirectory(schemasFolder.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Cannot read the schemas in {schemasFolder}: {ex.Message}");
            return ExitCodes.Unusable;
        }

        if (set.Files.Count == 0 && set.Problems.Count == 0)
        {
            Console.Error.WriteLine($"No feed schema (feeds/{{source}}/{{MAJOR.MINOR}}.schema.json) under {schemasFolder}.");
            return ExitCodes.Unusable;
        }

        var samples = new List<FeedSample>();
        var parser = new HardenedJsonParser(new IntakeLimits());
        foreach (var path in paths)
        {
            // The hub's own parser and limits: a file it would not read is not a feed the hub could have stored.
            using var parsed = parser.Parse(File.ReadAllBytes(path));
            if (parsed.Document is null)
            {
                Console.Error.WriteLine($"skipped {path}: not a readable feed ({parsed.Errors[0].Message})");
                continue;
            }

            samples.Add(new FeedSample(Path.GetRelativePath(Environment.CurrentDirectory, path), parsed.Document.RootElement.Clone()));
        }

        var report = SchemaEvolutionCheck.Run(set, samples);
        Console.Out.Write(report.ToText());
        return report.Refused ? ExitCodes.Invalid : ExitCodes.Ok;
    }
}
