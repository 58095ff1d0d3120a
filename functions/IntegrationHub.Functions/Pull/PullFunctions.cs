using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Ops;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Durable;

namespace IntegrationHub.Functions.Pull;

/// <summary>The triggers of pulls: one timer per department (CRON from configuration), and ops on demand.</summary>
public sealed class PullFunctions(PullScheduler scheduler, AuditLog audit, TimeProvider clock)
{
    [Function(nameof(PullStatisticsOnSchedule))]
    public Task PullStatisticsOnSchedule([TimerTrigger("%" + PullSchedules.Statistics + "%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        scheduler.StartDueAsync(client, FeedSource.Statistics, clock.GetUtcNow(), cancellationToken);

    [Function(nameof(PullPowerGridOnSchedule))]
    public Task PullPowerGridOnSchedule([TimerTrigger("%" + PullSchedules.PowerGrid + "%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        scheduler.StartDueAsync(client, FeedSource.PowerGrid, clock.GetUtcNow(), cancellationToken);

    [Function(nameof(PullTransportOnSchedule))]
    public Task PullTransportOnSchedule([TimerTrigger("%" + PullSchedules.Transport + "%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        scheduler.StartDueAsync(client, FeedSource.Transport, clock.GetUtcNow(), cancellationToken);

    [Function(nameof(PullEnvironmentOnSchedule))]
    public Task PullEnvironmentOnSchedule([TimerTrigger("%" + PullSchedules.Environment + "%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        scheduler.StartDueAsync(client, FeedSource.Environment, clock.GetUtcNow(), cancellationToken);

    /// <summary>Ops start a pull of one department period now (the demo cycle does this for the sample periods); audited as <c>pull</c>.</summary>
    [Function(nameof(StartPull))]
    [Access(AccessPolicy.Ops, Forbidden = "Only ops may start pulls: the ops key, or an operator signed in with Entra ID.")]
    public async Task<IActionResult> StartPull(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "pulls/{source}/{period}")] HttpRequest request,
        string source, string period, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var actor = OpsActor.Of(request.Admitted().Caller);
        var (answer, outcome) = await AnswerPullAsync(source, period, client, actor, cancellationToken).ConfigureAwait(false);
        var detail = (answer as ObjectResult)?.Value is ProblemDetails problem ? problem.Detail : null;
        await audit.RecordAsync(actor, "pull", InstanceIds.Pull(source, period), outcome,
            (answer as IStatusCodeActionResult)?.StatusCode ?? StatusCodes.Status200OK, detail, CancellationToken.None)
            .ConfigureAwait(false);
        return answer;
    }

    private async Task<(IActionResult Answer, string Outcome)> AnswerPullAsync(string source, string period,
        DurableTaskClient client, OpsActor actor, CancellationToken cancellationToken)
    {
        if (!FeedSource.IsKnown(source))
        {
            return (Problems.Create(StatusCodes.Status404NotFound, "Unknown source",
                $"'{source}' is not a feed source; use one of: {string.Join(", ", FeedSource.All)}."), "not-found");
        }

        if (!Period.TryParse(period, out var parsed) || !FeedSource.AcceptsPeriodKind(source, parsed.Kind))
        {
            return (Problems.Create(StatusCodes.Status400BadRequest, "Invalid period",
                $"'{period}' is not a period that {source} sends.", new Dictionary<string, object?> { ["parameter"] = "period" }), "invalid");
        }

        if (!scheduler.IsConfigured(source))
        {
            return (Problems.Create(StatusCodes.Status409Conflict, "Pull not configured",
                $"Set Pull__{PullUrl.SettingName(source)}__BaseUrl to pull {source}."), "not-configured");
        }

        // Recorded before it starts: a pull the audit log cannot take is not started (503).
        await audit.RecordBeforeAsync(actor, "pull", InstanceIds.Pull(source, period), null, cancellationToken).ConfigureAwait(false);
        var (instanceId, started) = await scheduler.StartAsync(client, source, period, cancellationToken).ConfigureAwait(false);
        var body = new { instanceId, started, status = $"/api/ops/instances/{Uri.EscapeDataString(instanceId)}" };
        return started ? (new AcceptedResult(body.status, body), "started") : (new OkObjectResult(body), "running");
    }
}
