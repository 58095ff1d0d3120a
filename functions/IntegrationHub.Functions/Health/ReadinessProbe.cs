using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Serialization;
using Azure.Storage.Blobs;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Resilience;
using IntegrationHub.Functions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Health;

/// <summary>One dependency as the readiness probe found it: <see cref="DependencyOutage.Storage"/> or <see cref="DependencyOutage.TaskHub"/>.</summary>
public sealed record DependencyCheck(string Dependency, bool Ready);

/// <summary>Each dependency the readiness probe checks: <c>ok</c> or <c>unavailable</c>.</summary>
[ApiSchema]
[Description("Each dependency checked: `ok` or `unavailable`.")]
public sealed record ReadinessChecks(
    [property: AllowedValues("ok", "unavailable"), Description("The hub's blob storage.")] string Storage,
    [property: JsonPropertyName(DependencyOutage.TaskHub), AllowedValues("ok", "unavailable"), Description("The Durable task hub.")] string TaskHub);

[Description("The problem of a hub that cannot serve now, naming what is down (the reason is in the app's log).")]
public sealed record NotReadyProblem(
    int Status,
    string Title,
    [property: AllowedValues(DependencyOutage.Storage, DependencyOutage.TaskHub), Description("Every dependency down.")] IReadOnlyList<string> Dependencies,
    ReadinessChecks Checks) : HubProblem(Status, Title)
{
    [AllowedValues(DependencyOutage.Storage, DependencyOutage.TaskHub), Description("The first dependency down.")]
    public new string Dependency => Dependencies[0];
}

/// <summary>The 200 of <c>GET /api/ready</c>.</summary>
[ApiSchema("Readiness")]
public sealed record ReadyAnswer([property: AllowedValues("ready")] string Status, ReadinessChecks Checks);

/// <summary>What <c>GET /api/ready</c> answers: every dependency checked, ready only when all are.</summary>
public sealed record Readiness(IReadOnlyList<DependencyCheck> Checks)
{
    public bool IsReady => Checks.All(c => c.Ready);

    /// <summary>
    /// 200 with each check, or 503 naming the dependencies that are down. The detail stays generic: host names and
    /// exception texts are in the log, not in an anonymous answer.
    /// </summary>
    public IActionResult ToResult()
    {
        string State(string dependency) => Checks.Any(c => c.Dependency == dependency && !c.Ready) ? Unavailable : Ok;
        var checks = new ReadinessChecks(State(DependencyOutage.Storage), State(DependencyOutage.TaskHub));
        if (IsReady)
        {
            return new OkObjectResult(new ReadyAnswer("ready", checks));
        }

        var down = Checks.Where(c => !c.Ready).Select(c => c.Dependency).ToList();
        return new NotReadyResult(Problems.Create(new NotReadyProblem(StatusCodes.Status503ServiceUnavailable, "Not ready", down, checks)
        {
            Detail = string.Create(CultureInfo.InvariantCulture,
                $"The hub cannot serve requests now: {string.Join(" and ", down.Select(Describe))} could not be reached. "
                + $"Try again in {(int)DependencyOutage.RetryAfter.TotalSeconds} s."),
        }));
    }

    private const string Ok = "ok";
    private const string Unavailable = "unavailable";

    private static string Describe(string dependency) => dependency == DependencyOutage.TaskHub ? "the Durable task hub" : "the hub's storage";

    private sealed class NotReadyResult(ObjectResult problem) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            context.HttpContext.Response.Headers.RetryAfter = ((int)DependencyOutage.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return problem.ExecuteResultAsync(context);
        }
    }
}

/// <summary>
/// Readiness: can the hub serve requests now? It checks, in parallel and each within <see cref="CheckTimeout"/>, that
/// the hub's blob storage answers (its landing container is there) and that the Durable task hub answers a query of one
/// instance. Liveness (<c>/api/health</c>) calls nothing, so a storage outage never makes a probe restart a healthy app.
/// </summary>
public sealed partial class ReadinessProbe(BlobServiceClient blobs, ILogger<ReadinessProbe> logger)
{
    /// <summary>
    /// Bound of one check. A refused connection fails within the storage clients' retries (about 3 s, StorageRetry);
    /// a dependency that accepts and never answers is cut off here, so the probe answers in a few seconds either way.
    /// </summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(4);

    public async Task<Readiness> CheckAsync(DurableTaskClient taskHub, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskHub);
        var checks = await Task.WhenAll(
            CheckAsync(DependencyOutage.Storage, StorageAnswersAsync, cancellationToken),
            CheckAsync(DependencyOutage.TaskHub, token => TaskHubAnswersAsync(taskHub, token), cancellationToken)).ConfigureAwait(false);
        return new Readiness(checks);
    }

    private async Task<bool> StorageAnswersAsync(CancellationToken cancellationToken)
    {
        if (await blobs.GetBlobContainerClient(HubContainers.Landing).ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        LogContainerMissing(logger, HubContainers.Landing);
        return false;
    }

    private static async Task<bool> TaskHubAnswersAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        // The first page of one instance: the cheapest query the task hub answers, an empty hub included.
        await using var pages = client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 1 }).AsPages(pageSizeHint: 1)
            .GetAsyncEnumerator(cancellationToken);
        await pages.MoveNextAsync().ConfigureAwait(false);
        return true;
    }

    private async Task<DependencyCheck> CheckAsync(string dependency, Func<CancellationToken, Task<bool>> check, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            // WaitAsync as well: a client that does not honour the token must not hold the answer past the bound.
            return new DependencyCheck(dependency, await check(timeout.Token).WaitAsync(CheckTimeout, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, dependency, CheckTimeout.TotalSeconds, ex);
            return new DependencyCheck(dependency, false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness: {Dependency} did not answer within {Seconds} s or failed")]
    private static partial void LogUnavailable(ILogger logger, string dependency, double seconds, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness: storage answers but the hub's container {Container} is missing")]
    private static partial void LogContainerMissing(ILogger logger, string container);
}
