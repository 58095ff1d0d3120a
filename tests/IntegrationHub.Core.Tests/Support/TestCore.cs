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
