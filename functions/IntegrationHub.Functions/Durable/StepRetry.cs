using Microsoft.DurableTask;

namespace IntegrationHub.Functions.Durable;

/// <summary>
/// How the pipeline's orchestrations call their steps. Every step is idempotent, so one that failed for a passing
/// reason (storage unreachable for a moment, a thread starved past a timeout on a busy host) is simply run again, a
/// bounded number of times with backoff. A step that fails every time (a poison input) fails its run after the last
/// attempt, with the reason, for ops to see, repair and replay: never an endless loop.
/// </summary>
public static class StepRetry
{
    public const int MaxAttempts = 3;

    public static TaskOptions Options { get; } = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: MaxAttempts, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2.0));
}
