using IntegrationHub.Core;

namespace IntegrationHub.Core.Tests.Support;

// Compiled into the CLI tests too (linked there), so both projects find the hub and the repository the same way.
internal static class TestCore
{
    // The test runner builds regexes before any test code runs, so the process-wide timeout cannot take effect here;
    // the CLI tests run the real entry point, which applies it and would refuse to start without it.
    private static readonly Lazy<HubCore> Shared = new(() => new HubCore(requireRegexTimeout: false));

    /// <summary>Schemas and reference data compiled once for the whole test run, as the hub does at start-up.</summary>
    public static HubCore Core => Shared.Value;
}

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SampleFeeds => Path.Combine(Root, "local-dev", "sample-feeds");

    public static string Schemas => Path.Combine(Root, "schemas");

    public static string Templates => Path.Combine(Root, "templates");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IntegrationHub.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (IntegrationHub.sln) above the test binaries.");
    }
}
