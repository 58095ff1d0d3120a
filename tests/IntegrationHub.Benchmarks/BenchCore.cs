using IntegrationHub.Core;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Benchmarks;

/// <summary>The hub's core as a host builds it: the regex timeout first, then schemas and reference data, once.</summary>
internal static class BenchCore
{
    private static readonly Lazy<HubCore> Shared = new(Create);

    public static HubCore Core => Shared.Value;

    /// <summary>The repository root, found from the binaries (BenchmarkDotNet runs them from a folder below the project).</summary>
    public static string RepoRoot => IntegrationHub.TestSupport.RepoPaths.Root;

    private static HubCore Create()
    {
        // BenchmarkDotNet's child process has its own entry point; apply the timeout before any schema builds a regex.
        RegexTimeout.Apply();
        return new HubCore();
    }
}
