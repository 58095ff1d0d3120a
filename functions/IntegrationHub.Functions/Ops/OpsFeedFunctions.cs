using IntegrationHub.Functions.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Ops;

/// <summary>Ops look after feeds: the quarantine with its reports, and running a quarantined or failed feed again.</summary>
public sealed class OpsFeedFunctions(FeedReprocessing reprocessing, AccessGate gate)
{
    [Function(nameof(ReprocessFeed))]
    public async Task<IActionResult> ReprocessFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/feeds/{feedId}/reprocess")] HttpRequest request, string feedId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (denied, actor) = gate.AdmitOps(request);
        if (denied is not null)
        {
            return denied;
        }

        return (await reprocessing.ReprocessAsync(client, feedId, actor, cancellationToken).ConfigureAwait(false)).ToActionResult();
    }

    /// <summary><c>source</c>: one department's feeds only.</summary>
    [Function(nameof(ListQuarantine))]
    public async Task<IActionResult> ListQuarantine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/quarantine")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (gate.AdmitOps(request).Refusal is { } denied)
        {
            return denied;
        }

        return (await reprocessing.ListQuarantineAsync(request.Query["source"].FirstOrDefault(), cancellationToken).ConfigureAwait(false)).ToActionResult();
    }
}
