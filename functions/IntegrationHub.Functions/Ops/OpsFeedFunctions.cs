using System.Globalization;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Ops;

/// <summary>Ops look after feeds: the quarantine with its reports, and running a quarantined or failed feed again.</summary>
public sealed class OpsFeedFunctions(FeedReprocessing reprocessing, Reconciliation reconciliation)
{
    [Function(nameof(ReprocessFeed))]
    [ApiOperation(
        ApiTags.Ops,
        "Reprocess a feed",
        "Runs a quarantined feed through validation again (after the reference data or a schema was "
        + "fixed) and, valid now, through the pipeline; a valid feed whose run failed or never "
        + "started is run again.")]
    [ApiAnswer(202, "Processing started; `Location` is the feed's status URL.", Body = typeof(FeedReprocessAccepted), Location = true)]
    [ApiProblem(404, "No feed with this id has been received.")]
    [ApiProblem(409, "Nothing to reprocess: the feed is consolidated, running, changed meanwhile, or its failure "
        + "was handled already.", Schema = ApiDocuments.ReprocessProblem)]
    [ApiProblem(410, "The feed was quarantined and its body deleted after the quarantine retention; its report "
        + "stays.")]
    [ApiProblem(422, "The quarantined feed is still not valid; the problem lists the violations.", Schema = ApiDocuments.ReprocessProblem)]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ReprocessFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/feeds/{feedId}/reprocess")] HttpRequest request, string feedId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => reprocessing.ReprocessAsync(client, feedId, actor, cancellationToken));

    /// <summary>
    /// <c>source</c>: the bodies pushed to one department's URL only; <c>limit</c>: feeds per page (default 50, at most
    /// 200); <c>continuationToken</c>: the next page, as the previous one gave it.
    /// </summary>
    [Function(nameof(ListQuarantine))]
    [ApiOperation(
        ApiTags.Ops,
        "List quarantined feeds",
        "The quarantined feeds with their reports, a page at a time in name order: the department "
        + "whose URL the body was pushed to, then the feed id (source, period, revision, hash). Go on "
        + "with the page's `continuationToken` until there is none.")]
    [ApiQuery("source", "Only the bodies pushed to this department's URL.", Values = new[] { "statistics", "power-grid", "transport", "environment" })]
    [ApiQuery("limit", "At most this many feeds per page, 1 to 200 (default 50).", Type = ApiType.Integer)]
    [ApiQuery("continuationToken", "The `continuationToken` of the previous page (with the same `source`); another text is a "
        + "400.")]
    [ApiAnswer(200, "The quarantined feeds.", Body = typeof(QuarantineList))]
    [ApiProblem(400, "An unknown source, a bad page size or token; `parameter` names it.")]
    [Access(AccessPolicy.Ops)]
    public async Task<IActionResult> ListQuarantine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/quarantine")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = FeedReprocessing.DefaultPageSize;
        if (request.Query["limit"].FirstOrDefault() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > FeedReprocessing.MaxPageSize))
        {
            return OpsAnswer.BadParameter("limit", "Bad page size",
                string.Create(CultureInfo.InvariantCulture, $"'{limitText}' is not a whole number from 1 to {FeedReprocessing.MaxPageSize}.")).ToActionResult();
        }

        return (await reprocessing.ListQuarantineAsync(
            request.Query["source"].FirstOrDefault(), request.Query["continuationToken"].FirstOrDefault(), limit, cancellationToken).ConfigureAwait(false)).ToActionResult();
    }

    /// <summary>
    /// <c>graceSeconds</c>: feeds younger than this count as in flight, not lost (default 300); <c>source</c>,
    /// <c>period</c>: one department's or one feed period's feeds only.
    /// </summary>
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
    public async Task<IActionResult> Reconcile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/reconcile")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = request.Query["source"].FirstOrDefault();
        if (source is { Length: > 0 } && !FeedSource.IsKnown(source))
        {
            return OpsAnswer.BadParameter("source", "Unknown source", $"'{source}' is not a feed source; use one of: {string.Join(", ", FeedSource.All)}.").ToActionResult();
        }

        var graceText = request.Query["graceSeconds"].FirstOrDefault();
        if (!ReconciliationRuns.TryParseGrace(graceText, out var grace))
        {
            return OpsAnswer.BadParameter("graceSeconds", "Bad grace period", $"'{graceText}' is not a whole number of seconds from 0 to 86400.").ToActionResult();
        }

        var report = await reconciliation.RunAsync(grace, source, request.Query["period"].FirstOrDefault(), cancellationToken).ConfigureAwait(false);
        return new OkObjectResult(report);
    }
}
