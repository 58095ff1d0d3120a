using System.Diagnostics;

namespace IntegrationHub.LocalHost.Tests.Support;

/// <summary>The built <c>hub</c> tool (or the <c>hub-bench</c> measurement tool), run in its own process as an operator would.</summary>
public static class HubTool
{
    private static readonly Lazy<string> HubDll = new(() => FindOrBuild("IntegrationHub.Cli", "hub.dll"));
    private static readonly Lazy<string> BenchDll = new(() => FindOrBuild("IntegrationHub.Bench", "hub-bench.dll"));

    /// <summary>Runs the built <c>hub-bench</c> as <see cref="RunAsync"/> runs <c>hub</c>.</summary>
    public static Task<(int Exit, string Stdout, string Stderr)> RunBenchAsync(Uri? hub, string[] args) => RunAsync(BenchDll.Value, hub, args, null);

    /// <summary>Runs the built <c>hub</c> (with <c>--hub</c> set to <paramref name="hub"/> when given), environment variables of its own only.</summary>
    public static Task<(int Exit, string Stdout, string Stderr)> RunAsync(Uri? hub, string[] args, Dictionary<string, string>? environment = null) =>
        RunAsync(HubDll.Value, hub, args, environment);

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string dll, Uri? hub, string[] args, Dictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (hub is not null)
        {
            start.ArgumentList.Add("--hub");
            start.ArgumentList.Add(hub.ToString());
        }

        // The machine's own settings must not leak into the run.
        foreach (var variable in new[] { "HUB_URL", "HUB_KEY", "HUB_OPS_KEY", "HUB_OPS_TOKEN" })
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileNameWithoutExtension(dll)} {string.Join(' ', args)} did not finish within 2 minutes.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// The tool the solution build produced, in the configuration these tests were built in; built here when
    /// this project was built alone (the tools are not among its references).
    /// </summary>
    private static string FindOrBuild(string projectName, string dllName)
    {
        var configuration =
            AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";
        var project = Path.Combine(RepoPaths.Root, "functions", projectName);
        var dll = Path.Combine(project, "bin", configuration, "net10.0", dllName);
        if (File.Exists(dll))
        {
            return dll;
        }

        var build = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "build", project, "-c", configuration, "-nologo", "-v", "quiet" })
        {
            build.ArgumentList.Add(arg);
        }

        using var process = Process.Start(build)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)) || process.ExitCode != 0 || !File.Exists(dll))
        {
            throw new InvalidOperationException($"Could not build {project}: {output.Result}{errors.Result}");
        }

        return dll;
    }
}
