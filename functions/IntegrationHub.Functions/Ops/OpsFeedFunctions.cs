using IntegrationHub.Functions.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Ops;

/// <summary>Ops look after feeds: the quarantine with its reports, and running a quarantined or failed feed again.</summary>
public sealed class OpsFeedFunctions(FeedReprocessing reprocessing, IOptionsMonitor<AccessOptions> access)
{
    [Function(nameof(ReprocessFeed))]
    public async Task<IActionResult> ReprocessFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/feeds/{feedId}/reprocess")] HttpRequest request, string feedId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (OpsAccess.Deny(access.CurrentValue, request, out var actor) is { } denied)
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
        if (OpsAccess.Deny(access.CurrentValue, request) is { } denied)
        {
            return denied;
        }

        return (await reprocessing.ListQuarantineAsync(request.Query["source"].FirstOrDefault(), cancellationToken).ConfigureAwait(false)).ToActionResult();
    }
}
