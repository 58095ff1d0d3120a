using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Publishing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.Ops;

/// <summary>The subscribers, what each was sent, and redelivery to one of them (audited).</summary>
public sealed class OpsSubscriberFunctions(SubscriberRedelivery subscribers)
{
    private const string SubscriberName = "A subscriber's name, as in the subscribers file (`dual-carbon-dashboard`, …).";
    private const string NoSuchSubscriber = "No subscriber has this name.";

    [Function(nameof(ListSubscribers))]
    [ApiOperation(
        ApiTags.Ops,
        "List the subscribers",
        "Every subscriber of the subscribers file with its filter, how it receives events (`channel`: `queue:…`, "
        + "`service-bus:…` or `webhook:…`) and the last event it was sent.")]
    [ApiAnswer(200, "The subscribers.", Body = typeof(SubscriberList))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ListSubscribers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/subscribers")] HttpRequest request, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, _ => subscribers.ListAsync(cancellationToken));

    [Function(nameof(ListSubscriberDeliveries))]
    [ApiOperation(
        ApiTags.Ops,
        "What a subscriber was sent",
        "Every event sent to the subscriber (published or redelivered), newest first, a page at a time: event id, type, "
        + "data-set period and version, when, and how.")]
    [ApiPath("name", SubscriberName)]
    [ApiQuery("limit", "At most this many deliveries per page, 1 to 500 (default 50).", Type = ApiType.Integer)]
    [ApiQuery("continuationToken", "The `continuationToken` of the previous page; another text is a 400.")]
    [ApiAnswer(200, "A page of deliveries.", Body = typeof(SubscriberDeliveryPage))]
    [ApiProblem(400, "A bad limit or continuation token; `parameter` names it.")]
    [ApiProblem(404, NoSuchSubscriber)]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ListSubscriberDeliveries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/subscribers/{name}/deliveries")] HttpRequest request, string name,
        CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, _ => subscribers.DeliveriesAsync(
            name, request.Query.First("limit"), request.Query.First("continuationToken"), cancellationToken));

    [Function(nameof(RedeliverToSubscriber))]
    [ApiOperation(
        ApiTags.Ops,
        "Send a subscriber its events again",
        "Every event announced since `since` that the subscriber's filter takes, rebuilt from the stored (immutable) versions "
        + "with the same CloudEvent ids as first sent, to that subscriber only (its queue, recreated if gone; in Azure a topic "
        + "message only its rule takes; or its webhook), oldest first, at most `limit` per call: `continueSince` says where to "
        + "go on. Audited.")]
    [ApiPath("name", SubscriberName)]
    [ApiQuery("since", "From when: an RFC 3339 time, or an event id such as `2024-Q4/v3` (from that event's announcement on, "
        + "inclusive).", Required = true)]
    [ApiQuery("limit", "At most this many events in this call, 1 to 1000 (default 200).", Type = ApiType.Integer)]
    [ApiAnswer(200, "What was sent.", Body = typeof(RedeliveryReport))]
    [ApiProblem(400, "`since` missing, neither a time nor an announced event id, or a bad limit; `parameter` names it.")]
    [ApiProblem(404, NoSuchSubscriber)]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> RedeliverToSubscriber(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/subscribers/{name}/redeliver")] HttpRequest request, string name,
        CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => subscribers.RedeliverAsync(
            name, request.Query.First("since"), request.Query.First("limit"), actor, cancellationToken));
}
