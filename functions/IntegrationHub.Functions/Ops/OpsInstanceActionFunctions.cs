using IntegrationHub.Functions.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Ops;

/// <summary>Ops act on orchestrations: replay, rewind, terminate, suspend, resume, purge, and replay every failure. Each action is audited.</summary>
public sealed class OpsInstanceActionFunctions(OpsInstances instances, AccessGate gate)
{
    [Function(nameof(ReplayInstance))]
    public async Task<IActionResult> ReplayInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/replay")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (denied, actor) = gate.AdmitOps(request);
        if (denied is not null)
        {
            return denied;
        }

        return (await instances.ReplayAsync(client, instanceId, actor, cancellationToken).ConfigureAwait(false)).ToActionResult();
    }

    [Function(nameof(RewindInstance))]
    public async Task<IActionResult> RewindInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/rewind")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (denied, actor) = gate.AdmitOps(request);
        if (denied is not null)
        {
            return denied;
        }

        var (reason, invalid) = await OpsReason.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        return invalid ?? (await instances.RewindAsync(client, instanceId, reason, actor, cancellationToken).ConfigureAwait(false)).ToActionResult();
    }

    [Function(nameof(TerminateInstance))]
    public async Task<IActionResult> TerminateInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/terminate")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (denied, actor) = gate.AdmitOps(request);
        if (denied is not null)
        {
            return denied;
        }

        var (reason, invalid) = await OpsReason.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        return invalid ?? (await instances.TerminateAsync(client, instanceId, reason, actor, cancellationToken).ConfigureAwait(false)).ToActionResult();
    }

    [Function(nameof(SuspendInstance))]
    public async Task<IActionResult> SuspendInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/suspend")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (denied, actor) = gate.AdmitOps(request);
        if (denied is not null)
        {
            return denied;
        }

        var (reason, invalid) = await OpsReason.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        return invalid ?? (await instances.SuspendAsync(client, instanceId, reason, actor, cancellationToken).ConfigureAwait(false)).ToActionResult();
    }

    [Function(nameof(ResumeInstance))]
    public async Task<IActionResult> ResumeInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/resume")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (denied, actor) = gate.AdmitOps(request);
        if (denied is not null)
        {
            return denied;
        }

        var (reason, invalid) = await OpsReason.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        return invalid ?? (await instances.ResumeAsync(client, instanceId, reason, actor, cancellationToken).ConfigureAwait(false)).ToActionResult();
    }

    [Function(nameof(PurgeInstance))]
    public async Task<IActionResult> PurgeInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "ops/instances/{instanceId}")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (denied, actor) = gate.AdmitOps(request);
        if (denied is not null)
        {
            return denied;
        }

        return (await instances.PurgeAsync(client, instanceId, actor, cancellationToken).ConfigureAwait(false)).ToActionResult();
    }

    /// <summary><c>since</c>: failed at or after (ISO 8601); <c>name</c>: orchestration names, comma-separated.</summary>
    [Function(nameof(ReplayFailed))]
    public async Task<IActionResult> ReplayFailed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/replay-failed")] HttpRequest request, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (denied, actor) = gate.AdmitOps(request);
        if (denied is not null)
        {
            return denied;
        }

        var names = request.Query["name"].Count == 0 ? null : string.Join(',', request.Query["name"].Select(v => v ?? ""));
        return (await instances.ReplayFailedAsync(client, request.Query["since"].FirstOrDefault(), names, actor, cancellationToken).ConfigureAwait(false)).ToActionResult();
    }
}
