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
