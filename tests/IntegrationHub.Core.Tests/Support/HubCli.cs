using System.Diagnostics;

namespace IntegrationHub.Core.Tests.Support;

/// <summary>The `hub` tool as users run it: a separate process, its exit code, its standard output and error.</summary>
internal static class HubCli
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => Run(args, null);

    /// <param name="environment">Variables set for the process; the hub's own (<c>HUB_URL</c>, keys) are never inherited from the test run.</param>
    public static (int ExitCode, string Stdout, string Stderr) Run(IEnumerable<string> args, IDictionary<string, string>? environment) =>
        Run("hub.dll", args, environment);

    /// <param name="tool">The built program next to the tests: <c>hub.dll</c>, or <c>hub-bench.dll</c> for the measurement tool.</param>
    public static (int ExitCode, string Stdout, string Stderr) Run(string tool, IEnumerable<string> args, IDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, tool));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var variable in new[] { "HUB_URL", "HUB_KEY", "HUB_OPS_KEY" })
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', start.ArgumentList.Skip(1))} did not finish within 2 minutes");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>A folder of files a test writes for a process to read, removed afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("hub-test-").FullName;

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
