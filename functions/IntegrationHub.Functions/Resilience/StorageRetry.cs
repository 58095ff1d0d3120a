using Azure.Core;

namespace IntegrationHub.Functions.Resilience;

/// <summary>
/// Retry settings of the hub's Azure Storage clients, applied once in the composition root. The SDK's defaults would
/// keep a request hanging for minutes while storage is away; these give up within seconds, so an HTTP request answers
/// 503 (<see cref="DependencyOutage"/>) in bounded time. Activities are retried by their orchestrations instead.
/// </summary>
public static class StorageRetry
{
    public const int MaxRetries = 3;

    /// <summary>First wait; doubled per retry (with the SDK's jitter) up to <see cref="MaxDelay"/>: 0.4 + 0.8 + 1.6 s.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(400);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>One try: enough for the largest feed body (a single put) on a slow link, short of a hang.</summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(10);

    public static void Apply(ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = Delay;
        options.Retry.MaxDelay = MaxDelay;
        options.Retry.NetworkTimeout = NetworkTimeout;
    }
}
