using System.CommandLine;
using System.Text.Json;
using IntegrationHub.Core;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Cli;

/// <summary><c>hub validate &lt;file&gt;</c>: the same checks the hub runs at intake, offline, before a department sends.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The feed to check (JSON)." };
        var source = new Option<string?>("--source") { Description = "The push endpoint's source, when checking that it matches (statistics, power-grid, transport, environment)." };
        var command = new Command("validate", "Validate a feed against its schema and the domain rules; print the report as JSON. Exit 0 valid, 1 invalid, 2 unusable input.")
        {
            file,
            source,
        };
        command.SetAction(result => Run(result.GetValue(file)!, result.GetValue(source)));
        return command;
    }

    private static int Run(FileInfo file, string? source)
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
        var check = core.Validator.Validate(body, source);
        Console.Out.WriteLine(JsonSerializer.Serialize(check.Report, HubJson.Options));
        return check.Report.Verdict switch
        {
            ValidationVerdict.Valid => ExitCodes.Ok,
            ValidationVerdict.Invalid => ExitCodes.Invalid,
            _ => ExitCodes.Unusable,
        };
    }
}
