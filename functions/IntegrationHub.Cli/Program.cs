using System.CommandLine;
using IntegrationHub.Cli;
using IntegrationHub.Cli.Convert;
using IntegrationHub.Core.Validation;

// Before anything can build a regex: schema `pattern`s must run with a timeout.
RegexTimeout.Apply();

var root = new RootCommand("hub: check, push and recompute feeds and data sets of the Xiangjiang dual-carbon integration hub, turn department "
    + "spreadsheets into feeds, and operate its orchestrations.");
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(DatasetCommand.Create());
root.Subcommands.Add(SchemaCommand.Create());
root.Subcommands.Add(PushCommand.Create());
root.Subcommands.Add(ReceiptCommand.Create());
root.Subcommands.Add(SupplyCommand.Create());
root.Subcommands.Add(OpsCommand.Create());
root.Subcommands.Add(OpsCommand.Reconcile());
root.Subcommands.Add(OpsCommand.Subscribers());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine("Run 'hub --help' for usage.");
    return ExitCodes.Unusable;
}

return await parsed.InvokeAsync();
