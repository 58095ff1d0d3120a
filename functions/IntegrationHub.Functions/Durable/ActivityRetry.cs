using Microsoft.DurableTask;

namespace IntegrationHub.Functions.Durable;

/// <summary>
/// Retry policies of the orchestrations' activity calls, in one place. Every activity of the hub is idempotent (it runs
/// at least once by design), so retrying one is always safe.
/// </summary>
public static class ActivityRetry
{
    /// <summary>The message the Functions host gives an invocation whose worker could not report an outcome.</summary>
    public const string HostInvocationFailure = "Exception while executing function:";

    /// <summary>
    /// For every activity without a policy of its own. The Functions host fails an activity whose worker died instead
    /// of delivering it again, so that host failure, and only it, is retried; an exception the activity threw still
    /// fails at once with its own type and message (docs/reliability.md, the worker killed after a push).
    /// </summary>
    public static readonly TaskOptions Default = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 4, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2.0, maxRetryInterval: TimeSpan.FromSeconds(30))
    {
        HandleFailure = IsWorkerLost,
    });

    public static bool IsWorkerLost(TaskFailureDetails failure) =>
        failure?.ErrorMessage?.StartsWith(HostInvocationFailure, StringComparison.Ordinal) == true;

    /// <summary>
    /// Attempts with exponential backoff (doubling, at most 5 minutes apart) for a step whose dependency may be away
    /// for a while (a department's API, the publisher); failures <paramref name="permanent"/> names are not retried.
    /// Compared by type name: IsCausedBy resolves every failure's type by name and throws on HttpRequestException,
    /// whose name two loaded assemblies carry, which would silently end the retries.
    /// </summary>
    public static TaskOptions WithBackoff(int maxAttempts, int firstRetryIntervalSeconds, Type permanent)
    {
        ArgumentNullException.ThrowIfNull(permanent);
        var permanentName = permanent.FullName;
        return TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: maxAttempts,
            firstRetryInterval: TimeSpan.FromSeconds(firstRetryIntervalSeconds),
            backoffCoefficient: 2.0,
            maxRetryInterval: TimeSpan.FromMinutes(5))
        {
            HandleFailure = failure => IsWorkerLost(failure) || failure.ErrorType != permanentName,
        });
    }
}
