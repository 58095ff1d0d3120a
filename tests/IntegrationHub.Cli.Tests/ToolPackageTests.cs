using System.Text.Json;
using System.Xml.Linq;
using IntegrationHub.Cli.Tests.Support;
using IntegrationHub.Core.Tests.Support;

namespace IntegrationHub.Cli.Tests;

/// <summary>`hub` as an analyst gets it: the package packed, installed with `dotnet tool install`, and run by its command name.</summary>
public class ToolPackageTests
{
    [Fact]
    public void Packed_InstalledIntoAToolPath_RunsAsHub_VersionAndValidate()
    {
        using var folder = new TempFolder();
        var packages = folder.File("packages");
        var configuration =
            AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";
        var project = Path.Combine(RepoPaths.Root, "functions", "IntegrationHub.Cli", "IntegrationHub.Cli.csproj");
        var pack = Processes.Run("dotnet", ["pack", project, "-c", configuration, "--no-build", "-nologo", "-o", packages], timeout: TimeSpan.FromMinutes(5));
        Assert.True(pack.ExitCode == 0, pack.Stdout + pack.Stderr);

        // The version the project declares is the package's and the one `hub --version` reports.
        var declared = XDocument.Load(project).Descendants("Version").Single().Value;
        Assert.True(File.Exists(Path.Combine(packages, $"IntegrationHub.Cli.{declared}.nupkg")), string.Join(", ", Directory.GetFiles(packages)));

        // Only the packed folder as a source: the install must not depend on any feed on the network.
        var config = folder.File("nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="packed" value="{packages}" /></packageSources></configuration>
            """);
        var tools = folder.File("tools");
        var install =
            Processes.Run("dotnet", ["tool", "install", "IntegrationHub.Cli", "--tool-path", tools, "--configfile", config], timeout: TimeSpan.FromMinutes(5));
        Assert.True(install.ExitCode == 0, install.Stdout + install.Stderr);
        var hub = Path.Combine(tools, OperatingSystem.IsWindows() ? "hub.exe" : "hub");
        Assert.True(File.Exists(hub), $"no command `hub` in the tool path: {string.Join(", ", Directory.GetFiles(tools))}");

        var version = Processes.Run(hub, ["--version"]);
        Assert.Equal(0, version.ExitCode);
        Assert.Matches($"^{declared.Replace(".", "\\.", StringComparison.Ordinal)}(\\+[0-9a-f]+)?\\s*$", version.Stdout);

        var validate = Processes.Run(hub, ["validate", Path.Combine(RepoPaths.SampleFeeds, "2024", "transport-2024-06-r0.json")]);
        Assert.True(validate.ExitCode == 0, validate.Stderr);
        using var report = JsonDocument.Parse(validate.Stdout);
        Assert.True(report.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal("transport", report.RootElement.GetProperty("source").GetString());

        var invalid = Processes.Run(hub, ["validate", Path.Combine(RepoPaths.SampleFeeds, "invalid", "nev-exceeds-total.json")]);
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("rule:nev-le-total", invalid.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_IsNotACommandOfTheUserTool()
    {
        // Measurement lives in hub-bench (functions/IntegrationHub.Bench), not in what departments install.
        var (exit, _, stderr) = Processes.Hub("bench", "--sizes", "1");

        Assert.Equal(2, exit);
        Assert.Contains("'bench'", stderr, StringComparison.Ordinal);
    }
}
