using System.Diagnostics;

namespace IntegrationHub.Cli.Tests.Support;

/// <summary>A program run as a user runs it: its exit code, standard output and standard error (both redirected).</summary>
internal static class Processes
{
    /// <param name="environment">Variables set for the process; the hub's own (<c>HUB_URL</c>, keys) are never inherited from the test run.</param>
    public static (int ExitCode, string Stdout, string Stderr) Run(
        string program, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

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
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} did not finish in time");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The <c>hub</c> built next to these tests.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Hub(params string[] args) =>
        Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "hub.dll"), .. args]);
}

/// <summary>A folder of files a test writes for a process to read, removed afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("hub-cli-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string content)
    {
        var file = File(name);
        System.IO.File.WriteAllText(file, content);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
