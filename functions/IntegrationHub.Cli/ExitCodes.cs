namespace IntegrationHub.Cli;

/// <summary>Exit codes scripts can rely on.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The feed was read but breaks its schema or a domain rule (checked here, or answered so by the hub).</summary>
    public const int Invalid = 1;

    /// <summary>
    /// The hub refused what the command pointed at: an unknown instance or feed, one in the wrong state, a filter it
    /// does not accept. Its problem is printed.
    /// </summary>
    public const int Refused = 1;

    /// <summary>
    /// The input could not be used at all: unreadable file, not JSON, bad arguments; or the request could not be made
    /// as given: no answer from the hub, a missing or wrong key, an unknown source.
    /// </summary>
    public const int Unusable = 2;

    /// <summary>The hub produced something its own schema rejects, or answered with a server error: a bug, reported rather than printed.</summary>
    public const int InternalError = 3;
}
