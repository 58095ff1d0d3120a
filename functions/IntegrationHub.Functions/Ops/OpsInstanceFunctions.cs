using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Ops;

/// <summary>Ops watch orchestrations: a filtered, paged list, and one instance in detail with its failure, feeds and history.</summary>
public sealed class OpsInstanceFunctions(OpsInstances instances)
{
    [Function(nameof(ListInstances))]
    [ApiOperation(
        ApiTags.Ops,
        "List orchestrations",
        "Orchestrations by runtime status, name, instance-id prefix and creation time, newest first "
        + "across pages (by creation time), a page at a time. The first page holds the newest "
        + "instances whatever the task hub's own order.")]
    [ApiQuery("status", "Runtime statuses to keep (repeated or comma-separated); another value is a 400.", Type = ApiType.StringList, Values = new[] { "Running", "Completed", "ContinuedAsNew", "Failed", "Canceled", "Terminated", "Pending", "Suspended" })]
    [ApiQuery("name", "Orchestration names to keep (repeated or comma-separated): `ProcessFeed`, `PullFeed`, "
        + "`ConsolidatePeriod`.", Type = ApiType.StringList)]
    [ApiQuery("prefix", "Instance-id prefix, e.g. `feed:transport:` or `consolidate:2024`.")]
    [ApiQuery("from", "Created at or after (RFC 3339).", Type = ApiType.DateTime)]
    [ApiQuery("to", "Created at or before (RFC 3339).", Type = ApiType.DateTime)]
    [ApiQuery("continuationToken", "The `continuationToken` of the previous page (with the same filters); another text is a "
        + "400.")]
    [ApiQuery("pageSize", "Instances per page, 1 to 1000 (default 100).", Type = ApiType.Integer)]
    [ApiAnswer(200, "A page of instances, and the token of the next page (null on the last).", Body = typeof(InstancePage))]
    [ApiProblem(400, "An unknown status, a time that is not RFC 3339, a bad page size or a token the task hub "
        + "does not accept; `parameter` names it.")]
    [Access(AccessPolicy.Ops)]
    public async Task<IActionResult> ListInstances(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/instances")] HttpRequest request, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new InstanceListQuery(
            Joined(request, "status"), Joined(request, "name"), request.Query["prefix"].FirstOrDefault(), request.Query["from"].FirstOrDefault(), request.Query["to"].FirstOrDefault(),
            request.Query["continuationToken"].FirstOrDefault(), request.Query["pageSize"].FirstOrDefault());
        return (await instances.ListAsync(client, query, cancellationToken).ConfigureAwait(false)).ToActionResult();
    }

    [Function(nameof(GetInstance))]
    [ApiOperation(
        ApiTags.Ops,
        "One orchestration",
        "Status, input and output summaries, the failure (message, type, stack, the activity that "
        + "failed and after how many attempts), the feeds behind it, what ops may do with it now, and "
        + "its history in order.")]
    [ApiAnswer(200, "The instance.", Body = typeof(InstanceDetail))]
    [ApiProblem(404, "No orchestration has this id.")]
    [Access(AccessPolicy.Ops)]
    public async Task<IActionResult> GetInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/instances/{instanceId}")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await instances.GetAsync(client, instanceId, cancellationToken).ConfigureAwait(false)).ToActionResult();
    }

    /// <summary>A parameter given repeated or comma-separated, as one comma-separated text.</summary>
    private static string? Joined(HttpRequest request, string name) =>
        request.Query[name].Count == 0 ? null : string.Join(',', request.Query[name].Select(v => v ?? ""));
}
