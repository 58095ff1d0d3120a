namespace IntegrationHub.Cli;

/// <summary>Exit codes scripts can rely on.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The feed was read but breaks its schema or a domain rule.</summary>
    public const int Invalid = 1;

    /// <summary>The input could not be used at all: unreadable file, not JSON, bad arguments.</summary>
    public const int Unusable = 2;

    /// <summary>The hub produced something its own schema rejects: a bug, reported rather than printed.</summary>
    public const int InternalError = 3;
}
