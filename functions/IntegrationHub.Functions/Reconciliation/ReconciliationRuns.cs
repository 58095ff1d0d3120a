using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Core;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Ops;
using IntegrationHub.Functions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Reconciliation;

/// <summary>What a background reconciliation checks: the same choices as <c>GET /api/ops/reconcile</c>.</summary>
public sealed record ReconcileRequest(string RunId, int GraceSeconds, string? Source, string? Period);

[Description("A reconciliation started in the background.")]
public sealed record ReconciliationStarted(
    string RunId,
    [property: Description("Its orchestration: `reconcile:{runId}`.")] string InstanceId,
    [property: Description("Where to follow it: `/api/ops/reconciliations/{runId}`.")] string Status);

[Description("A background reconciliation: its state, how far it is and, once completed, its report.")]
public sealed record ReconciliationRun(
    string RunId,
    string InstanceId,
    [property: AllowedValues("Pending", "Running", "Completed", "Failed", "Terminated", "Suspended")] string Status,
    [property: Description("Null until the run has begun.")] ReconciliationProgress? Progress,
    ReconciliationReport? Report,
    [property: Description("Why a failed run failed.")] string? Failure,
    string StatusUrl);

/// <summary>
/// Reconciliation in the background: an orchestration of one activity, so a lost worker's run is retried by the
/// engine; its progress in <c>ledger/reconciliations/{runId}.json</c> lets any app instance answer how far it is.
/// </summary>
public sealed partial class ReconciliationRuns(Reconciliation reconciliation, OrchestrationStarter starter, BlobServiceClient blobs, AuditLog audit,
    TimeProvider clock)
{
    public const string InstancePrefix = "reconcile:";
    private const string Action = "reconcile";
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public static string StatusUrl(string runId) => $"/api/ops/reconciliations/{runId}";

    public async Task<OpsAnswer> StartAsync(DurableTaskClient client, IQueryCollection query, OpsActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(query);
        if (Check(query, out var grace) is { } bad)
        {
            return bad;
        }

        var (source, period) = (query.First("source"), query.First("period"));
        // Time first, so run ids sort by when they started; the random part keeps two at the same second apart.
        var runId = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'",
            CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var request = new ReconcileRequest(runId, (int)grace.TotalSeconds, source is { Length: > 0 } ? source : null,
            period is { Length: > 0 } ? period : null);
        await audit.RecordAsync(actor, Action, InstancePrefix + runId, "started", StatusCodes.Status202Accepted,
            $"graceSeconds={request.GraceSeconds} source={request.Source ?? "*"} period={request.Period ?? "*"}", cancellationToken).ConfigureAwait(false);
        await starter.StartAsync(client, nameof(ReconcileStore), InstancePrefix + runId, request, restartFinished: false,
            cancellationToken).ConfigureAwait(false);
        var status = StatusUrl(runId);
        return OpsAnswer.Accepted(new ReconciliationStarted(runId, InstancePrefix + runId, status), status);
    }

    public async Task<OpsAnswer> GetAsync(DurableTaskClient client, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instance = RunIdPattern().IsMatch(runId)
            ? await client.GetInstanceAsync(InstancePrefix + runId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false)
            : null;
        if (instance is null)
        {
            return OpsAnswer.Problem(StatusCodes.Status404NotFound, "Unknown reconciliation", $"No reconciliation has the id '{runId}'.");
        }

        var report = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<ReconciliationReport>() : null;
        var failure = instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed ? instance.FailureDetails?.ErrorMessage
            ?? "The reconciliation failed." : null;
        var progress = await ReadProgressAsync(runId, cancellationToken).ConfigureAwait(false);
        return OpsAnswer.Ok(new ReconciliationRun(runId, instance.InstanceId, instance.RuntimeStatus.ToString(), progress, report, failure, StatusUrl(runId)));
    }

    public async Task<ReconciliationReport> RunAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var blob = ProgressBlob(request.RunId);
        var lastWritten = DateTimeOffset.MinValue;
        async Task Keep(ReconciliationProgress progress)
        {
            // Every phase change and the end are kept; feeds checked at most once a second.
            if (progress.Phase == "checking feeds" && progress.Checked < progress.Total && progress.UpdatedAt - lastWritten < ProgressInterval)
            {
                return;
            }

            lastWritten = progress.UpdatedAt;
            await blob.UploadAsync(BinaryData.FromObjectAsJson(progress, HubJson.Options),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken).ConfigureAwait(false);
        }

        return await reconciliation.RunAsync(TimeSpan.FromSeconds(request.GraceSeconds), request.Source, request.Period, cancellationToken,
            Keep).ConfigureAwait(false);
    }

    private async Task<ReconciliationProgress?> ReadProgressAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            var content = await ProgressBlob(runId).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<ReconciliationProgress>(HubJson.Options);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Not started yet.
            return null;
        }
    }

    private BlobClient ProgressBlob(string runId) =>
        blobs.GetBlobContainerClient(HubContainers.Ledger).GetBlobClient($"reconciliations/{runId}.json");

    // The 400 for an unknown source or a bad graceSeconds; null when the query is fine.
    internal static OpsAnswer? Check(IQueryCollection query, out TimeSpan grace)
    {
        grace = Reconciliation.DefaultGrace;
        if (query.First("source") is { Length: > 0 } source && !FeedSource.IsKnown(source))
        {
            return OpsAnswer.BadParameter("source", "Unknown source", $"'{source}' is not a feed source; use one of: {string.Join(", ", FeedSource.All)}.");
        }

        var text = query.First("graceSeconds");
        if (text is not { Length: > 0 })
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 86_400)
        {
            return OpsAnswer.BadParameter("graceSeconds", "Bad grace period", $"'{text}' is not a whole number of seconds from 0 to 86400.");
        }

        grace = TimeSpan.FromSeconds(seconds);
        return null;
    }

    [GeneratedRegex("^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$")]
    private static partial Regex RunIdPattern();

    // One activity, retried only when its worker was lost.
    [Function(nameof(ReconcileStore))]
    public static async Task<ReconciliationReport> ReconcileStore([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.GetInput<ReconcileRequest>() ?? throw new InvalidOperationException("ReconcileStore needs a ReconcileRequest.");
        context.SetCustomStatus(new { stage = "reconciling", request.RunId, status = StatusUrl(request.RunId) });
        var report = await context.CallActivityAsync<ReconciliationReport>(nameof(RunReconciliation), request, ActivityRetry.Default);
        context.SetCustomStatus(new { stage = "reconciled", request.RunId, report.Totals.Lost, report.Totals.Duplicates });
        return report;
    }

    [Function(nameof(RunReconciliation))]
    public Task<ReconciliationReport> RunReconciliation([ActivityTrigger] ReconcileRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, cancellationToken);

    [Function(nameof(Reconcile))]
    [ApiOperation(
        ApiTags.Ops,
        "Reconcile what was received with what was published",
        "Walks landing, quarantine, the ledgers, the normalised feeds, the data-set versions and "
        + "their announcements: per feed period and source, how many feeds reached each stage, every "
        + "feed that stopped short (lost) and anything stored twice. Reads only.")]
    [ApiQuery("graceSeconds", "Feeds younger than this count as in flight, not lost, 0 to 86400 (default 300).", Type = ApiType.Integer)]
    [ApiQuery("source", "Only this department's feeds.", Values = new[] { "statistics", "power-grid", "transport", "environment" })]
    [ApiQuery("period", "Only feeds of this period (`YYYY-MM`, `YYYY-Qn`, `YYYY`).")]
    [ApiAnswer(200, "The reconciliation.", Body = typeof(ReconciliationReport))]
    [ApiProblem(400, "An unknown source or a bad grace period; `parameter` names it.")]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> Reconcile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/reconcile")] HttpRequest request, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, async _ => ReconciliationRuns.Check(request.Query, out var grace) ?? OpsAnswer.Ok(
            await reconciliation.RunAsync(grace, request.Query.First("source"), request.Query.First("period"), cancellationToken).ConfigureAwait(false)));

    // Only reads the store, so a reader may start one; the start is audited.
    [Function(nameof(StartReconciliation))]
    [ApiOperation(
        ApiTags.Ops,
        "Reconcile the whole store in the background",
        "Starts the reconciliation of `GET /api/ops/reconcile` as a Durable orchestration and "
        + "answers at once; follow it at the status URL, which says how many landed feeds it has "
        + "checked of how many and, once done, gives the same report. Reads only: a reader may start "
        + "one.")]
    [ApiQuery("graceSeconds", "Feeds younger than this count as in flight, not lost, 0 to 86400 (default 300).", Type = ApiType.Integer)]
    [ApiQuery("source", "Only this department's feeds.", Values = new[] { "statistics", "power-grid", "transport", "environment" })]
    [ApiQuery("period", "Only feeds of this period (`YYYY-MM`, `YYYY-Qn`, `YYYY`).")]
    [ApiAnswer(202, "Started; `Location` is its status URL.", Body = typeof(ReconciliationStarted), Location = true)]
    [ApiProblem(400, "An unknown source or a bad grace period; `parameter` names it.")]
    [Access(AccessPolicy.Ops, Reads = true)]
    public Task<IActionResult> StartReconciliation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/reconciliations")] HttpRequest request,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => StartAsync(client, request.Query, actor, cancellationToken));

    [Function(nameof(GetReconciliation))]
    [ApiOperation(
        ApiTags.Ops,
        "Follow a background reconciliation",
        "Its state, its progress (landed feeds checked of the total) and, once `Completed`, its "
        + "report.")]
    [ApiAnswer(200, "The run.", Body = typeof(ReconciliationRun))]
    [ApiProblem(404, "No reconciliation has this id.")]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> GetReconciliation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/reconciliations/{runId}")] HttpRequest request, string runId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, _ => GetAsync(client, runId, cancellationToken));
}
