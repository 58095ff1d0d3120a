using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Ops;

// One line per route over OpsCall; the services check the query (documented in OpenApi/) and audit.
public sealed class OpsFunctions(OpsInstances instances, FeedReprocessing reprocessing, Reconciliation reconciliation, Reconsolidation reconsolidation, AuditReader auditReader)
{
    [Function(nameof(ListInstances))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ListInstances(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/instances")] HttpRequest request, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, _ => instances.ListAsync(client, request.Query, cancellationToken));

    [Function(nameof(GetInstance))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> GetInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/instances/{instanceId}")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, _ => instances.GetAsync(client, instanceId, cancellationToken));

    [Function(nameof(ReplayInstance))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ReplayInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/replay")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(request, instanceId, "replay", client, cancellationToken);

    [Function(nameof(RewindInstance))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> RewindInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/rewind")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(request, instanceId, "rewind", client, cancellationToken);

    [Function(nameof(TerminateInstance))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> TerminateInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/terminate")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(request, instanceId, "terminate", client, cancellationToken);

    [Function(nameof(SuspendInstance))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> SuspendInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/suspend")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(request, instanceId, "suspend", client, cancellationToken);

    [Function(nameof(ResumeInstance))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ResumeInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/resume")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(request, instanceId, "resume", client, cancellationToken);

    [Function(nameof(PurgeInstance))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> PurgeInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "ops/instances/{instanceId}")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(request, instanceId, "purge", client, cancellationToken);

    [Function(nameof(ReplayFailed))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ReplayFailed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/replay-failed")] HttpRequest request, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => instances.ReplayFailedAsync(client, request.Query, actor, cancellationToken));

    [Function(nameof(Reconsolidate))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> Reconsolidate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/reconsolidate")] HttpRequest request,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => reconsolidation.StartAllAsync(client, actor, cancellationToken));

    [Function(nameof(ReprocessFeed))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ReprocessFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/feeds/{feedId}/reprocess")] HttpRequest request, string feedId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => reprocessing.ReprocessAsync(client, feedId, actor, cancellationToken));

    [Function(nameof(ListQuarantine))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ListQuarantine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/quarantine")] HttpRequest request, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, _ => reprocessing.ListQuarantineAsync(request.Query, cancellationToken));

    [Function(nameof(Reconcile))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> Reconcile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/reconcile")] HttpRequest request, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, async _ => ReconciliationRuns.Check(request.Query, out var grace) ?? OpsAnswer.Ok(
            await reconciliation.RunAsync(grace, request.Query.First("source"), request.Query.First("period"), cancellationToken).ConfigureAwait(false)));

    [Function(nameof(ListAudit))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ListAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/audit")] HttpRequest request, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, _ => auditReader.ListAsync(request.Query, cancellationToken));

    private Task<IActionResult> ActAsync(HttpRequest request, string instanceId, string action, DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsInstances.TakesReason(action)
            ? OpsCall.RunWithReasonAsync(request, (reason, actor) => instances.ActAsync(client, instanceId, action, reason, actor, cancellationToken), cancellationToken)
            : OpsCall.RunAsync(request, actor => instances.ActAsync(client, instanceId, action, null, actor, cancellationToken));
}
