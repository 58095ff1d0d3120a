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
