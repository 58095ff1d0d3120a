namespace IntegrationHub.Cli;

// Exit codes scripts can rely on.
internal static class ExitCodes
{
    public const int Ok = 0;

    // The feed was read but breaks its schema or a domain rule (checked here, or answered so by the hub).
    public const int Invalid = 1;

    // The hub refused what the command pointed at: an unknown instance or feed, one in the wrong state, a filter it
    // does not accept. Its problem is printed.
    public const int Refused = 1;

    // The input could not be used at all: unreadable file, not JSON, bad arguments; or the request could not be made as
    // given: no answer from the hub, a missing or wrong key, an unknown source.
    public const int Unusable = 2;

    // The hub produced something its own schema rejects, or answered with a server error: a bug, reported rather than
    // printed.
    public const int InternalError = 3;
}
