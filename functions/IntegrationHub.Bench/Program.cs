using IntegrationHub.Bench;
using IntegrationHub.Cli;
using IntegrationHub.Core.Validation;

// Before anything can build a regex: schema `pattern`s must run with a timeout.
RegexTimeout.Apply();

var root = BenchCommand.Create();
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine("Run 'hub-bench --help' for usage.");
    return ExitCodes.Unusable;
}

return await parsed.InvokeAsync();
