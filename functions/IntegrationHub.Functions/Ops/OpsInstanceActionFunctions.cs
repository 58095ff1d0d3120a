using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Ops;

/// <summary>Ops act on orchestrations: replay, rewind, terminate, suspend, resume, purge, and replay every failure. Each action is audited.</summary>
public sealed class OpsInstanceActionFunctions(OpsInstances instances)
{
    [Function(nameof(ReplayInstance))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ReplayInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/replay")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => instances.ReplayAsync(client, instanceId, actor, cancellationToken));

    [Function(nameof(RewindInstance))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> RewindInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/rewind")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunWithReasonAsync(request, (reason, actor) => instances.RewindAsync(client, instanceId, reason, actor, cancellationToken), cancellationToken);

    [Function(nameof(TerminateInstance))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> TerminateInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/terminate")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunWithReasonAsync(request, (reason, actor) => instances.TerminateAsync(client, instanceId, reason, actor, cancellationToken), cancellationToken);

    [Function(nameof(SuspendInstance))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> SuspendInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/suspend")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunWithReasonAsync(request, (reason, actor) => instances.SuspendAsync(client, instanceId, reason, actor, cancellationToken), cancellationToken);

    [Function(nameof(ResumeInstance))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ResumeInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/resume")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunWithReasonAsync(request, (reason, actor) => instances.ResumeAsync(client, instanceId, reason, actor, cancellationToken), cancellationToken);

    [Function(nameof(PurgeInstance))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> PurgeInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "ops/instances/{instanceId}")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => instances.PurgeAsync(client, instanceId, actor, cancellationToken));

    /// <summary>
    /// <c>since</c>: failed at or after (ISO 8601); <c>name</c>: orchestration names, comma-separated; <c>max</c>: at most
    /// this many (default 100, up to 500); <c>dryRun=true</c>: list them, do nothing.
    /// </summary>
    [Function(nameof(ReplayFailed))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ReplayFailed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/replay-failed")] HttpRequest request, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => instances.ReplayFailedAsync(
            client, request.Query["since"].FirstOrDefault(), request.Query["name"].Count == 0 ? null : string.Join(',', request.Query["name"].Select(v => v ?? "")),
            request.Query["max"].FirstOrDefault(), request.Query["dryRun"].FirstOrDefault(), actor, cancellationToken));
}
