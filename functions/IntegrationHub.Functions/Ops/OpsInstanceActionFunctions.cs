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
    [ApiOperation(
        ApiTags.Ops,
        "Replay an orchestration",
        "Runs a failed or terminated instance again from its original input, under the same id (ids "
        + "are deterministic: a feed's run stays that feed's). A failure is replayed once, however "
        + "often asked.")]
    [ApiAnswer(202, "Started again; `Location` is the instance's ops URL.", Body = typeof(InstanceActionAccepted), Location = true)]
    [ApiProblem(404, "No orchestration has this id.")]
    [ApiProblem(409, "The instance is not failed or terminated, or this failure was replayed already.", Schema = ApiDocuments.InstanceConflictProblem)]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ReplayInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/replay")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => instances.ReplayAsync(client, instanceId, actor, cancellationToken));

    [Function(nameof(RewindInstance))]
    [ApiOperation(
        ApiTags.Ops,
        "Rewind a failed orchestration",
        "Runs the failed step again and carries on, every earlier result kept, where the engine "
        + "supports rewinding; a 501 says when it does not (replay instead).",
        Body = typeof(ReasonRequest),
        BodyDescription = "Optional: `{\"reason\": \"…\"}`, instead of the query parameter.",
        BodyOptional = true)]
    [ApiQuery("reason", "Why (kept in the audit log), at most 1000 characters; or `{\"reason\": …}` in the body.")]
    [ApiAnswer(202, "Rewind requested; `Location` is the instance's ops URL.", Body = typeof(InstanceActionAccepted), Location = true)]
    [ApiProblem(400, "An unreadable reason.")]
    [ApiProblem(404, "No orchestration has this id.")]
    [ApiProblem(409, "The instance is not failed, this failure was handled already, or the engine refused.", Schema = ApiDocuments.InstanceConflictProblem)]
    [ApiProblem(501, "This hub's engine cannot rewind: replay the instance instead.")]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> RewindInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/rewind")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunWithReasonAsync(request, (reason, actor) => instances.RewindAsync(client, instanceId, reason, actor, cancellationToken), cancellationToken);

    [Function(nameof(TerminateInstance))]
    [ApiOperation(
        ApiTags.Ops,
        "Terminate an orchestration",
        "Terminates a pending, running or suspended instance; the reason becomes its output.",
        Body = typeof(ReasonRequest),
        BodyDescription = "Optional: `{\"reason\": \"…\"}`, instead of the query parameter.",
        BodyOptional = true)]
    [ApiQuery("reason", "Why (kept in the audit log), at most 1000 characters; or `{\"reason\": …}` in the body.")]
    [ApiAnswer(202, "Termination requested.", Body = typeof(InstanceActionAccepted), Location = true)]
    [ApiProblem(400, "An unreadable reason.")]
    [ApiProblem(404, "No orchestration has this id.")]
    [ApiProblem(409, "The instance is not pending, running or suspended.", Schema = ApiDocuments.InstanceConflictProblem)]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> TerminateInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/terminate")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunWithReasonAsync(request, (reason, actor) => instances.TerminateAsync(client, instanceId, reason, actor, cancellationToken), cancellationToken);

    [Function(nameof(SuspendInstance))]
    [ApiOperation(
        ApiTags.Ops,
        "Suspend an orchestration",
        "Stops a pending or running instance at its next step until it is resumed.",
        Body = typeof(ReasonRequest),
        BodyDescription = "Optional: `{\"reason\": \"…\"}`, instead of the query parameter.",
        BodyOptional = true)]
    [ApiQuery("reason", "Why (kept in the audit log), at most 1000 characters; or `{\"reason\": …}` in the body.")]
    [ApiAnswer(202, "Suspension requested.", Body = typeof(InstanceActionAccepted), Location = true)]
    [ApiProblem(400, "An unreadable reason.")]
    [ApiProblem(404, "No orchestration has this id.")]
    [ApiProblem(409, "The instance is not pending or running.", Schema = ApiDocuments.InstanceConflictProblem)]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> SuspendInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/suspend")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunWithReasonAsync(request, (reason, actor) => instances.SuspendAsync(client, instanceId, reason, actor, cancellationToken), cancellationToken);

    [Function(nameof(ResumeInstance))]
    [ApiOperation(
        ApiTags.Ops,
        "Resume an orchestration",
        "A suspended instance carries on where it stopped.",
        Body = typeof(ReasonRequest),
        BodyDescription = "Optional: `{\"reason\": \"…\"}`, instead of the query parameter.",
        BodyOptional = true)]
    [ApiQuery("reason", "Why (kept in the audit log), at most 1000 characters; or `{\"reason\": …}` in the body.")]
    [ApiAnswer(202, "Resumption requested.", Body = typeof(InstanceActionAccepted), Location = true)]
    [ApiProblem(400, "An unreadable reason.")]
    [ApiProblem(404, "No orchestration has this id.")]
    [ApiProblem(409, "The instance is not suspended.", Schema = ApiDocuments.InstanceConflictProblem)]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ResumeInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/resume")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunWithReasonAsync(request, (reason, actor) => instances.ResumeAsync(client, instanceId, reason, actor, cancellationToken), cancellationToken);

    [Function(nameof(PurgeInstance))]
    [ApiOperation(
        ApiTags.Ops,
        "Purge an orchestration's history",
        "Deletes a finished instance's state and history from the task hub; the hub's own records "
        + "(feeds, ledger, data sets) stay.")]
    [ApiAnswer(200, "Purged.", Body = typeof(InstancePurged))]
    [ApiProblem(404, "No orchestration has this id.")]
    [ApiProblem(409, "The instance has not finished.", Schema = ApiDocuments.InstanceConflictProblem)]
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
    [ApiOperation(
        ApiTags.Ops,
        "Replay every failed orchestration",
        "Replays the failed instances that failed at or after `since` (and have one of the names), "
        + "oldest failure first and at most `max` of them, and reports each one's outcome; "
        + "`dryRun=true` lists them and does nothing. Safe to call twice: a failure already replayed "
        + "is not replayed again.")]
    [ApiQuery("since", "Failed at or after (RFC 3339).", Type = ApiType.DateTime)]
    [ApiQuery("name", "Orchestration names to keep (repeated or comma-separated).", Type = ApiType.StringList)]
    [ApiQuery("max", "At most this many, oldest failure first, 1 to 500 (default 100); the rest are counted in "
        + "`notTaken`.", Type = ApiType.Integer)]
    [ApiQuery("dryRun", "`true`: list what would be replayed and do nothing.", Type = ApiType.Boolean)]
    [ApiAnswer(200, "The counts, and one outcome per failed instance taken.", Body = typeof(ReplayFailedReport))]
    [ApiProblem(400, "A time that is not RFC 3339, a bad `max` or `dryRun`; `parameter` names it.")]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ReplayFailed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/replay-failed")] HttpRequest request, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => instances.ReplayFailedAsync(
            client, request.Query["since"].FirstOrDefault(), request.Query["name"].Count == 0 ? null : string.Join(',', request.Query["name"].Select(v => v ?? "")),
            request.Query["max"].FirstOrDefault(), request.Query["dryRun"].FirstOrDefault(), actor, cancellationToken));
}
