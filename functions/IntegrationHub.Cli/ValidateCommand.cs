using System.CommandLine;
using System.Text.Json;
using IntegrationHub.Core;
using IntegrationHub.Core.Parsing;
using IntegrationHub.Core.Validation;
using Json.Schema;

namespace IntegrationHub.Cli;

// hub validate <file>: the same checks the hub runs at intake, offline, before a department sends.
internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The feed to check (JSON)." };
        var source = new Option<string?>("--source") { Description = "The push endpoint's source, when checking that it matches (statistics, "
            + "power-grid, transport, environment)." };
        var schema = new Option<FileInfo?>("--schema")
        {
            Description = "Check the feed's structure against this schema file (a version being drafted) instead of the hub's own; the domain rules "
                + "are not run.",
        };
        var command = new Command("validate",
            "Validate a feed against its schema and the domain rules; print the report as JSON. Exit 0 valid, 1 invalid, 2 unusable input.")
        {
            file,
            source,
            schema,
        };
        command.SetAction(result => Run(result.GetValue(file)!, result.GetValue(source), result.GetValue(schema)));
        return command;
    }

    private static int Run(FileInfo file, string? source, FileInfo? schemaFile)
    {
        byte[] body;
        try
        {
            body = File.ReadAllBytes(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Cannot read {file}: {ex.Message}");
            return ExitCodes.Unusable;
        }

        var core = new HubCore();
        ValidationReport report;
        if (schemaFile is null)
        {
            report = core.Validator.Validate(body, source).Report;
        }
        else if (AgainstSchemaFile(core, body, schemaFile) is { } drafted)
        {
            report = drafted;
        }
        else
        {
            return ExitCodes.Unusable;
        }

        Console.Out.WriteLine(JsonSerializer.Serialize(report, HubJson.Options));
        return report.Verdict switch
        {
            ValidationVerdict.Valid => ExitCodes.Ok,
            ValidationVerdict.Invalid => ExitCodes.Invalid,
            _ => ExitCodes.Unusable,
        };
    }

    // The structural check alone, with the hub's parser limits and evaluation (and so its regex timeout); null when the
    // schema file is unusable.
    private static ValidationReport? AgainstSchemaFile(HubCore core, byte[] body, FileInfo schemaFile)
    {
        JsonSchema schema;
        try
        {
            schema = JsonSchema.FromText(File.ReadAllText(schemaFile.FullName), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or JsonSchemaException or ArgumentException)
        {
            Console.Error.WriteLine($"Cannot use the schema {schemaFile}: {ex.Message}");
            return null;
        }

        using var parsed = new HardenedJsonParser(new IntakeLimits()).Parse(body);
        return new ValidationReport
        {
            SchemaId = schema.BaseUri.ToString(),
            Errors = parsed.Document is null ? parsed.Errors : core.Schemas.Evaluate(schema, parsed.Document.RootElement),
        };
    }
}
