using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.Ops;

/// <summary>The subscribers, what each was sent, and redelivery to one of them (audited).</summary>
public sealed class OpsSubscriberFunctions(SubscriberRedelivery subscribers)
{
    [Function(nameof(ListSubscribers))]
    [Access(AccessPolicy.Ops)]
    public async Task<IActionResult> ListSubscribers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/subscribers")] HttpRequest request, CancellationToken cancellationToken) =>
        (await subscribers.ListAsync(cancellationToken).ConfigureAwait(false)).ToActionResult();

    /// <summary><c>limit</c>: deliveries per page (default 50, up to 500); <c>continuationToken</c>: the previous page's.</summary>
    [Function(nameof(ListSubscriberDeliveries))]
    [Access(AccessPolicy.Ops)]
    public async Task<IActionResult> ListSubscriberDeliveries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/subscribers/{name}/deliveries")] HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await subscribers.DeliveriesAsync(name, request.Query["limit"].FirstOrDefault(), request.Query["continuationToken"].FirstOrDefault(), cancellationToken)
            .ConfigureAwait(false)).ToActionResult();
    }

    /// <summary><c>since</c>: an RFC 3339 time or an event id (<c>2024-Q4/v3</c>); <c>limit</c>: events per call (default 200, up to 1000).</summary>
    [Function(nameof(RedeliverToSubscriber))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> RedeliverToSubscriber(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/subscribers/{name}/redeliver")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => subscribers.RedeliverAsync(
            name, request.Query["since"].FirstOrDefault(), request.Query["limit"].FirstOrDefault(), actor, cancellationToken));
}
