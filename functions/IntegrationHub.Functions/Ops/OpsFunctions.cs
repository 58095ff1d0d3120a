using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Ops;

// One line per route over OpsCall; the services check the query (documented in OpenApi/) and audit.
public sealed class OpsFunctions(OpsInstances instances, FeedReprocessing reprocessing, Reconsolidation reconsolidation, AuditReader auditReader)
{
    [Function(nameof(ListInstances))]
    [ApiOperation(
        ApiTags.Ops,
        "List orchestrations",
        "Orchestrations by runtime status, name, instance-id prefix and creation time, newest first "
        + "across pages (by creation time), a page at a time. The first page holds the newest "
        + "instances whatever the task hub's own order.")]
    [ApiQuery("status", "Runtime statuses to keep (repeated or comma-separated); another value is a 400.", Type = ApiType.StringList,
        Values = new[] { "Running", "Completed", "ContinuedAsNew", "Failed", "Canceled", "Terminated", "Pending", "Suspended" })]
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
    public Task<IActionResult> ListInstances(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/instances")] HttpRequest request, [DurableClient] DurableTaskClient client,
            CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, _ => instances.ListAsync(client, request.Query, cancellationToken));

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
    public Task<IActionResult> GetInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/instances/{instanceId}")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, _ => instances.GetAsync(client, instanceId, cancellationToken));

    [Function(nameof(ReplayInstance))]
    [ApiInstanceAction("replay")]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ReplayInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/replay")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(request, instanceId, "replay", client, cancellationToken);

    [Function(nameof(RewindInstance))]
    [ApiInstanceAction("rewind")]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> RewindInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/rewind")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(request, instanceId, "rewind", client, cancellationToken);

    [Function(nameof(TerminateInstance))]
    [ApiInstanceAction("terminate")]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> TerminateInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/terminate")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(request, instanceId, "terminate", client, cancellationToken);

    [Function(nameof(SuspendInstance))]
    [ApiInstanceAction("suspend")]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> SuspendInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/suspend")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(request, instanceId, "suspend", client, cancellationToken);

    [Function(nameof(ResumeInstance))]
    [ApiInstanceAction("resume")]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ResumeInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/instances/{instanceId}/resume")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(request, instanceId, "resume", client, cancellationToken);

    [Function(nameof(PurgeInstance))]
    [ApiInstanceAction("purge")]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> PurgeInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "ops/instances/{instanceId}")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(request, instanceId, "purge", client, cancellationToken);

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
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/replay-failed")] HttpRequest request,
            [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => instances.ReplayFailedAsync(client, request.Query, actor, cancellationToken));

    [Function(nameof(Reconsolidate))]
    [ApiOperation(
        ApiTags.Ops,
        "Consolidate every stored period again",
        "After an upgrade that changes the methodology (data set 1.0 to 2.0) or the reference "
        + "values: starts the consolidation of every period that has a data set. A period whose "
        + "current version is of another methodology or coefficient set gets a new version, built "
        + "from the same feeds, whose diff says `methodologyChanged: true`; earlier versions stay "
        + "readable; a period already current gets none. Each period's start is in the audit log. "
        + "Safe to call again.")]
    [ApiAnswer(202, "The runs started, one per stored period; `Location` lists the consolidation instances.", Body = typeof(ReconsolidationReport),
        Location = true)]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> Reconsolidate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/reconsolidate")] HttpRequest request,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => reconsolidation.StartAllAsync(client, actor, cancellationToken));

    [Function(nameof(ReprocessFeed))]
    [ApiOperation(
        ApiTags.Ops,
        "Reprocess a feed",
        "Runs a quarantined feed through validation again (after the reference data or a schema was "
        + "fixed) and, valid now, through the pipeline; a valid feed whose run failed or never "
        + "started is run again.")]
    [ApiAnswer(202, "Processing started; `Location` is the run's ops URL.", Body = typeof(FeedReprocessAccepted), Location = true)]
    [ApiProblem(404, "No feed with this id has been received.")]
    [ApiProblem(409, "Nothing to reprocess: the feed is consolidated, running, changed meanwhile, or its failure "
        + "was handled already.", Schema = ApiDocuments.ReprocessProblem)]
    [ApiProblem(410, "The feed was quarantined and its body deleted after the quarantine retention; its report "
        + "stays.")]
    [ApiProblem(422, "The quarantined feed is still not valid; the problem lists the violations.", Schema = ApiDocuments.ReprocessProblem)]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ReprocessFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/feeds/{feedId}/reprocess")] HttpRequest request, string feedId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => reprocessing.ReprocessAsync(client, feedId, actor, cancellationToken));

    [Function(nameof(ListQuarantine))]
    [ApiOperation(
        ApiTags.Ops,
        "List quarantined feeds",
        "The quarantined feeds with their reports, a page at a time in name order: the department "
        + "whose URL the body was pushed to, then the feed id (source, period, revision, hash). Go on "
        + "with the page's `continuationToken` until there is none.")]
    [ApiQuery("source", "Only the bodies pushed to this department's URL.", Values = new[] { "statistics", "power-grid", "transport", "environment" })]
    [ApiQuery("limit", "At most this many feeds per page, 1 to 200 (default 50).", Type = ApiType.Integer)]
    [ApiQuery("continuationToken", "The `continuationToken` of the previous page (with the same `source`); another text is a "
        + "400.")]
    [ApiAnswer(200, "The quarantined feeds.", Body = typeof(QuarantineList))]
    [ApiProblem(400, "An unknown source, a bad page size or token; `parameter` names it.")]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ListQuarantine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/quarantine")] HttpRequest request, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, _ => reprocessing.ListQuarantineAsync(request.Query, cancellationToken));

    [Function(nameof(ListAudit))]
    [ApiOperation(
        ApiTags.Ops,
        "Read the audit log",
        "Every push and every ops action (who, when, what, outcome), newest first (in the order "
        + "appended), filtered and paged by the hub. One answer reads at most 16 MiB of the log, so a "
        + "page may hold fewer than `limit` entries: go on with its `continuationToken`.")]
    [ApiQuery("actor", "Who: principals to keep (repeated or comma-separated, any case): `ops`, a department, "
        + "`anonymous`.", Type = ApiType.StringList)]
    [ApiQuery("action", "What: actions to keep (repeated or comma-separated): `push`, `validate`, `pull`, `replay`, "
        + "`rewind`, `terminate`, `suspend`, `resume`, `purge`, `replay-failed`, `reprocess`, "
        + "`reconsolidate`, `redeliver`.", Type = ApiType.StringList)]
    [ApiQuery("outcome", "Outcomes to keep (repeated or comma-separated): `accepted`, `done`, `refused`, `invalid`, "
        + "`error`, …", Type = ApiType.StringList)]
    [ApiQuery("target", "Targets starting with this text: an instance id, a feed id, or a prefix such as "
        + "`pull:transport:`.")]
    [ApiQuery("from", "Entries at or after (RFC 3339).", Type = ApiType.DateTime)]
    [ApiQuery("since", "The same as `from` (kept for existing clients); `from` wins when both are given.", Type = ApiType.DateTime)]
    [ApiQuery("to", "Entries at or before (RFC 3339).", Type = ApiType.DateTime)]
    [ApiQuery("limit", "At most this many entries per page, 1 to 1000 (default 200).", Type = ApiType.Integer)]
    [ApiQuery("continuationToken", "The `continuationToken` of the previous page (with the same filters); another text is a "
        + "400.")]
    [ApiAnswer(200, "The audit entries.", Body = typeof(AuditLogPage))]
    [ApiProblem(400, "A time that is not RFC 3339, a bad limit or continuation token, or too many filter values "
        + "(20 at most); `parameter` names it.")]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> ListAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/audit")] HttpRequest request, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, _ => auditReader.ListAsync(request.Query, cancellationToken));

    private Task<IActionResult> ActAsync(HttpRequest request, string instanceId, string action, DurableTaskClient client,
        CancellationToken cancellationToken) =>
        OpsInstances.TakesReason(action)
            ? OpsCall.RunWithReasonAsync(request,
                (reason, actor) => instances.ActAsync(client, instanceId, action, reason, actor, cancellationToken), cancellationToken)
            : OpsCall.RunAsync(request, actor => instances.ActAsync(client, instanceId, action, null, actor, cancellationToken));
}

// An instance action's documentation from its row of the action table, so the two cannot drift.
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class ApiInstanceActionAttribute(string action) : ApiStackAttribute
{
    public override IReadOnlyList<Attribute> Parts { get; } = OpsInstances.Documentation(action);
}
