namespace IntegrationHub.Cli.Tests.Support;

/// <summary>A tool built next to these tests (<c>hub</c>, <c>hub-bench</c>), run as users run it.</summary>
internal static class HubCli
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => Run(args, null);

    public static (int ExitCode, string Stdout, string Stderr) Run(IEnumerable<string> args, IDictionary<string, string>? environment) =>
        Run("hub.dll", args, environment);

    /// <param name="tool">The built program next to the tests: <c>hub.dll</c>, or <c>hub-bench.dll</c> for the measurement tool.</param>
    public static (int ExitCode, string Stdout, string Stderr) Run(string tool, IEnumerable<string> args, IDictionary<string, string>? environment) =>
        Processes.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, tool), .. args], environment: environment);
}
