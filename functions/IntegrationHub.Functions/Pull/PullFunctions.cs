using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Intake;
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
    [ApiOperation(
        ApiTags.Pulls,
        "Pull a department period now",
        "Starts `PullFeed` for the period (instance `pull:{source}:{period}`); when that pull is "
        + "already running, answers it instead of starting another.")]
    [ApiPath("period", "The period to pull: `YYYY` or `YYYY-Qn` for statistics, `YYYY-MM` for the other sources.")]
    [ApiAnswer(200, "That pull is already running (`started: false`).", Body = typeof(PullStarted))]
    [ApiAnswer(202, "Started; `Location` is the instance's ops URL.", Body = typeof(PullStarted), Location = true)]
    [ApiProblem(400, "A period the source does not send.")]
    [ApiProblem(404, "Unknown source.")]
    [ApiProblem(409, "The department has no pull base URL configured.")]
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
            return (Problems.Create(new HubProblem(StatusCodes.Status400BadRequest, "Invalid period")
            {
                Detail = $"'{period}' is not a period that {source} sends.", Parameter = "period",
            }), "invalid");
        }

        if (!scheduler.IsConfigured(source))
        {
            return (Problems.Create(StatusCodes.Status409Conflict, "Pull not configured",
                $"Set Pull__{PullUrl.SettingName(source)}__BaseUrl to pull {source}."), "not-configured");
        }

        // Recorded before it starts: a pull the audit log cannot take is not started (503).
        await audit.RecordBeforeAsync(actor, "pull", InstanceIds.Pull(source, period), null, cancellationToken).ConfigureAwait(false);
        var (instanceId, started) = await scheduler.StartAsync(client, source, period, cancellationToken).ConfigureAwait(false);
        var body = new PullStarted(instanceId, started, $"/api/ops/instances/{Uri.EscapeDataString(instanceId)}");
        return started ? (new AcceptedResult(body.Status, body), "started") : (new OkObjectResult(body), "running");
    }
}

/// <summary>What starting a pull answers: the pull's instance, and whether this call started it.</summary>
[System.ComponentModel.Description("A pull of one department period.")]
public sealed record PullStarted(
    [property: System.ComponentModel.Description("`pull:{source}:{period}`.")] string InstanceId,
    [property: System.ComponentModel.Description("False when that pull was already running.")] bool Started,
    [property: System.ComponentModel.Description("The instance's ops URL.")] string Status);
