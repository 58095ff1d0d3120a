using System.Runtime.CompilerServices;
using IntegrationHub.Core;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Core.Tests.Support;

internal static class TestCore
{
    [ModuleInitializer]
    internal static void ApplyRegexTimeout() => RegexTimeout.Apply();

    private static readonly Lazy<HubCore> Shared = new(() => new HubCore());

    /// <summary>Schemas and reference data compiled once for the whole test run, as the hub does at start-up.</summary>
    public static HubCore Core => Shared.Value;
}

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SampleFeeds => Path.Combine(Root, "local-dev", "sample-feeds");

    public static string Schemas => Path.Combine(Root, "schemas");

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
