using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Functions.OpenApi;

/// <summary>
/// What the OpenAPI document says about each HTTP function, keyed by function name. Paths and methods are not
/// written here: <see cref="HubOpenApi"/> takes them from the functions' <c>[HttpTrigger]</c> attributes, and
/// documents an entry only when its function exists. A new HTTP function needs an entry here; the local host's
/// tests fail until it has one.
/// </summary>
internal static class OperationCatalog
{
    public const string FeedsTag = "Feeds";
    public const string PullsTag = "Pulls";
    public const string DatasetsTag = "Data sets";
    public const string SchemasTag = "Schemas";
    public const string OpsTag = "Ops";
    public const string PagesTag = "Pages";
    public const string HostTag = "Host";

    /// <summary>The tags in the order a reader meets them, with what each covers.</summary>
    public static IReadOnlyList<(string Name, string Description)> Tags { get; } =
    [
        (FeedsTag, "Departments push feeds and follow them; each department with its own key."),
        (PullsTag, "Ops start a pull of one department period now (timers pull on their schedules)."),
        (DatasetsTag, "Published data sets, read without a key: strong ETags, If-None-Match answered with 304."),
        (SchemasTag, "The JSON Schemas the hub validates with, read without a key; each schema's `$id` has the path of its route here."),
        (OpsTag, "Orchestrations, quarantine and the audit log, for the ops key only."),
        (PagesTag, "The ops console, the data-set dashboard and this API reference, served by the app itself."),
        (HostTag, "The liveness and readiness probes and this document."),
    ];

    /// <summary>Route parameters that mean the same on every route, by name.</summary>
    public static IReadOnlyDictionary<string, string> CommonPathParameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["source"] = "The feed source: statistics, power-grid, transport or environment.",
        ["feedId"] = "A feed id, `{source}-{period}-r{revision}-{first 16 hex digits of the SHA-256 of its bytes}`.",
        ["period"] = "A data-set period: `YYYY` for a year, `YYYY-Qn` for a quarter.",
        ["n"] = "A version number, from 1.",
        ["instanceId"] = "An orchestration instance id: `feed:{source}:{period}:{hash16}`, `pull:{source}:{period}` or `consolidate:{period}`.",
        ["name"] = "The file name of a page asset.",
    };

    private static readonly ApiParameter Area = new("area", "Area codes to keep (repeated or comma-separated); an unknown code is a 400.", ApiType.StringList);

    private static readonly ApiParameter Indicator = new("indicator", "Indicator ids to keep, or prefixes ending in `.` such as `carbon.` (repeated or comma-separated); an unknown one is a 400.", ApiType.StringList);

    private static readonly ApiParameter Reason = new("reason", "Why (kept in the audit log), at most 1000 characters; or `{\"reason\": …}` in the body.");

    private static readonly ApiBody ReasonBody = new("Optional: `{\"reason\": \"…\"}`, instead of the query parameter.", "ReasonRequest", Required: false);

    private static readonly string[] RuntimeStatuses = ["Running", "Completed", "ContinuedAsNew", "Failed", "Canceled", "Terminated", "Pending", "Suspended"];

    public static IReadOnlyDictionary<string, ApiOperation> Operations { get; } = new Dictionary<string, ApiOperation>(StringComparer.Ordinal)
    {
        // Intake.
        ["PushFeed"] = new(FeedsTag, ApiAccess.Department, "Push a feed",
            "Validates the feed at once and answers precisely. A new valid feed starts processing (202); the exact bytes of a feed received "
            + "before start nothing (200, `duplicate: true`); an invalid feed is quarantined and the problem lists every violation with its "
            + "JSON Pointer. The source is checked before the key, the key before the body. The body is `application/json` "
            + "(UTF-8: no charset, or `charset=utf-8`) without a content coding; its size limit holds while it is read. "
            + "Every push is in the audit log with its answer and the key's owner. Every landed body gets a signed `receipt`.")
        {
            Body = new ApiBody("The feed document, as its schema `/api/schemas/feeds/{source}/{schemaVersion}` describes it (absent `schemaVersion`: the latest).", "Feed"),
            Responses =
            [
                new(202, "New and valid: processing has started; `Location` is the feed's status URL, `receipt` the hub's signed receipt.", "FeedAccepted") { Location = true },
                new(200, "These exact valid bytes were received before: nothing new starts; `receipt` is the one the first push got.", "FeedDuplicate"),
                new(400, "Invalid: every violation (`errors`, `warnings`) with the `feedId` and `statusUrl`; the feed is quarantined (its `receipt` says so). "
                    + "A body that ended before its declared length has only `errors` (`parse:incomplete-body`): nothing was received.", "InvalidFeedProblem", ApiMediaTypes.Problem),
                Problem(401, "No key, or a key that is nobody's."),
                Problem(403, "A key that is not this source's (the ops key included)."),
                Problem(404, "Unknown source."),
                Problem(413, "The body is over the intake limit (`Intake__MaxFeedBytes`)."),
                Problem(415, "A Content-Type other than `application/json` (or another charset than UTF-8), or a Content-Encoding other than `identity` "
                    + "(the answer's `Accept-Encoding` says so); `parameter` names the header."),
                Problem(429, "The department has used its pushes for now (`Access__RateLimit__PushPermitsPerMinute`, `__PushBurst`, `__MaxConcurrentPushes`), "
                    + "or the bytes it may store per UTC day (`Access__Quota__DailyPushBytes`; nothing is stored, `Retry-After` runs to midnight UTC); "
                    + "`Retry-After` says when to try again.") with { RetryAfter = true },
            ],
        },
        ["GetFeedStatus"] = new(FeedsTag, ApiAccess.DepartmentOrOps, "Follow a feed",
            "The feed's state: `Received` (landed, no verdict yet), `Validated`, `Quarantined` (with its report) or `Consolidated`, and the "
            + "data-set versions that first included it. This is the status URL a push answers with.")
        {
            Responses =
            [
                new(200, "The feed's state.", "FeedStatus"),
                Problem(401, "No key, or a key that is nobody's."),
                Problem(403, "Another department's feed."),
                Problem(404, "No feed with this id has been received from this source."),
            ],
        },
        ["GetFeedStatusByIdOnly"] = new(FeedsTag, ApiAccess.DepartmentOrOps, "Follow a feed (deprecated form)",
            "`GET /feeds/{feedId}`, the status route before the source had a segment of its own; it answers as `GET /feeds/{source}/{feedId}` "
            + $"does until {Intake.PushFeedFunction.FeedIdOnlyRoute.Sunset:yyyy-MM-dd} (the `Sunset` header), and may be gone after. "
            + "OpenAPI allows one path per shape, so this path names its one segment `{source}` after the push it shares it with: the value is a feed id.")
        {
            Deprecation = Intake.PushFeedFunction.FeedIdOnlyRoute,
            PathParameters = new Dictionary<string, string> { ["feedId"] = "A feed id (not a source), as in `GET /feeds/{source}/{feedId}`." },
            Responses =
            [
                new(200, "The feed's state.", "FeedStatus"),
                Problem(401, "No key, or a key that is nobody's."),
                Problem(403, "Another department's feed."),
                Problem(404, "No feed with this id has been received."),
            ],
        },
        ["GetReceiptKeys"] = new(FeedsTag, ApiAccess.None, "The keys receipts are signed with",
            "The public keys (JWK set) that verify the `receipt` of a push: every key version that may have signed one, each with the `kid` a "
            + "receipt's header names. Keep a copy to verify receipts offline (`hub receipt verify`).")
        {
            Responses = [new(200, "The JWK set (`Cache-Control: public, max-age=300`).", "JwkSet", ApiMediaTypes.JwkSet)],
        },

        ["ValidateFeed"] = new(FeedsTag, ApiAccess.Department, "Check a feed without sending it",
            "Judges the feed exactly as a push would (the same admission, key, budget and limits, the same report) but stores nothing and "
            + "starts nothing: no landing, no quarantine, no ledger entry, no run. Each call is in the audit log as `validate` and counts "
            + "against the department's push budget.")
        {
            Body = new ApiBody("The feed document, as for a push.", "Feed"),
            Responses =
            [
                new(200, "Valid: the report (`valid: true`, the feed id it would get, `warnings`).", "ValidationReport"),
                new(400, "Invalid: every violation (`errors`, `warnings`) with the `feedId`; nothing was stored.", "FeedCheckProblem", ApiMediaTypes.Problem),
                Problem(401, "No key, or a key that is nobody's."),
                Problem(403, "A key that is not this source's (the ops key included)."),
                Problem(404, "Unknown source."),
                Problem(413, "The body is over the intake limit (`Intake__MaxFeedBytes`)."),
                Problem(415, "A Content-Type other than `application/json` (or another charset than UTF-8), or a Content-Encoding other than `identity`; "
                    + "`parameter` names the header."),
                Problem(429, "The department has used its pushes for now (validations count too); `Retry-After` says when to try again.") with { RetryAfter = true },
            ],
        },

        // Schemas.
        ["ListSchemas"] = new(SchemasTag, ApiAccess.None, "List the schemas",
            "Every schema the hub embeds: feeds per source and version, the data set, the `dataset-published` event and the reference data, "
            + "each with its `$id` and the URL it is served at. Fixed for a deployment.")
        {
            Conditional = true,
            Responses = [new(200, "The schemas, by path (`Cache-Control: no-cache`).", "SchemaCatalogue")],
        },
        ["GetSchema"] = new(SchemasTag, ApiAccess.None, "A schema by kind, name and version",
            "A feed or event schema, byte for byte as the hub validates with it (`feeds/transport/1.1`, `events/dataset-published/1.1`).")
        {
            Conditional = true,
            PathParameters = new Dictionary<string, string>
            {
                ["kind"] = "`feeds` or `events`.",
                ["name"] = "A feed source (`statistics`, `power-grid`, `transport`, `environment`) or an event type (`dataset-published`).",
                ["version"] = "The schema version, MAJOR.MINOR.",
            },
            Responses =
            [
                new(200, "The JSON Schema (draft 2020-12) (`Cache-Control: no-cache`).", "JsonSchema", ApiMediaTypes.Schema),
                Problem(404, "No such schema; the problem names the first of `kind`, `name` or `version` that matches nothing in `parameter`."),
            ],
        },
        ["GetSchemaOfTwoSegments"] = new(SchemasTag, ApiAccess.None, "A data-set or reference-data schema",
            "A schema whose path has two segments: the data set by version (`dataset/2.0`) or a reference-data file by name (`reference/areas`).")
        {
            Conditional = true,
            PathParameters = new Dictionary<string, string>
            {
                ["kind"] = "`dataset` or `reference`.",
                ["item"] = "The data-set schema version (`2.0`) or the reference-data name (`areas`, `coefficients`, `subscribers`, `targets`).",
            },
            Responses =
            [
                new(200, "The JSON Schema (draft 2020-12) (`Cache-Control: no-cache`).", "JsonSchema", ApiMediaTypes.Schema),
                Problem(404, "No such schema; `parameter` names the first of `kind` or `item` that matches nothing."),
            ],
        },

        // Pulls.
        ["StartPull"] = new(PullsTag, ApiAccess.Ops, "Pull a department period now",
            "Starts `PullFeed` for the period (instance `pull:{source}:{period}`); when that pull is already running, answers it instead of starting another.")
        {
            PathParameters = new Dictionary<string, string> { ["period"] = "The period to pull: `YYYY` or `YYYY-Qn` for statistics, `YYYY-MM` for the other sources." },
            Responses =
            [
                new(202, "Started; `Location` is the instance's ops URL.", "PullStarted") { Location = true },
                new(200, "That pull is already running (`started: false`).", "PullStarted"),
                Problem(400, "A period the source does not send."),
                Problem(404, "Unknown source."),
                Problem(409, "The department has no pull base URL configured."),
            ],
        },

        // Data sets.
        ["ListDatasets"] = new(DatasetsTag, ApiAccess.None, "List the published data sets",
            "Every period with a published data set, in period order, with its latest version and that version's immutable URL.")
        {
            Conditional = true,
            Responses = [new(200, "The periods, in period order (`Cache-Control: no-cache`).", "PublishedPeriod[]")],
        },
        ["ListAreas"] = new(DatasetsTag, ApiAccess.None, "The areas and their names",
            "Every area a data set can hold, from the hub's reference data: its code (a data set's `areaCode`), Chinese and English "
            + "names, kind and parent; overlay parks last. Fixed for a deployment.")
        {
            Conditional = true,
            Responses = [new(200, "The areas, the New Area first (`Cache-Control: no-cache`).", "AreaDirectory")],
        },
        ["GetLatestDataset"] = new(DatasetsTag, ApiAccess.None, "The latest data set",
            "The current version of the period that ends last; a year wins over its fourth quarter. `kind` narrows the choice to quarters or years.")
        {
            Conditional = true,
            Parameters = [new("kind", "Only periods of this kind.") { Values = ["quarter", "year"] }, Area, Indicator],
            Responses =
            [
                new(200, "The data set (`dual-carbon-dataset` 2.0), filtered when asked (`Cache-Control: no-cache`).", "Dataset"),
                Problem(400, "An unknown `kind`, `area` or `indicator`; `parameter` names it."),
                Problem(404, "No data set (of that kind) has been published yet."),
            ],
        },
        ["GetDataset"] = new(DatasetsTag, ApiAccess.None, "A period's current data set",
            "The current version of the period. A filtered document keeps the data set's shape; `status`, `missing` and `inputs` stay those of the whole data set.")
        {
            Conditional = true,
            Parameters = [Area, Indicator],
            Responses =
            [
                new(200, "The data set (`Cache-Control: no-cache`).", "Dataset"),
                Problem(400, "Not a period, or an unknown `area` or `indicator`; `parameter` names it."),
                Problem(404, "No data set has been published for the period."),
            ],
        },
        ["ListDatasetVersions"] = new(DatasetsTag, ApiAccess.None, "A period's published versions",
            "The versions the period's latest pointer has reached, ascending.")
        {
            Conditional = true,
            Responses =
            [
                new(200, "The versions (`Cache-Control: no-cache`).", "PublishedVersions"),
                Problem(400, "Not a period."),
                Problem(404, "No data set has been published for the period."),
            ],
        },
        ["GetDatasetVersion"] = new(DatasetsTag, ApiAccess.None, "One version of a data set",
            "A published version, byte for byte as stored when unfiltered. Versions never change (`Cache-Control: public, max-age=31536000, immutable`).")
        {
            Conditional = true,
            Parameters = [Area, Indicator],
            Responses =
            [
                new(200, "The version.", "Dataset"),
                Problem(400, "Not a period, a version below 1, or an unknown `area` or `indicator`."),
                Problem(404, "No such published version, or no data set for the period."),
            ],
        },
        ["GetDatasetDiff"] = new(DatasetsTag, ApiAccess.None, "What changed between two versions",
            "The indicators whose values differ (`old` from `from`, `new` from `to`; `from` may be the later version) and the feeds `to` uses that `from` does not. Immutable, as both versions are.")
        {
            Conditional = true,
            Parameters =
            [
                new("from", "The version to compare from (a positive integer).", ApiType.Integer, Required: true),
                new("to", "The version to compare to (a positive integer, not `from`).", ApiType.Integer, Required: true),
            ],
            Responses =
            [
                new(200, "The differences.", "VersionComparison"),
                Problem(400, "Not a period, or `from`/`to` missing, not positive integers, or equal."),
                Problem(404, "No data set for the period, or either version is not published."),
            ],
        },

        // Supply calendar.
        ["GetSupply"] = new(DatasetsTag, ApiAccess.None, "The supply calendar",
            "Per source and period, from each source's first expected period to the one under way (China time): when its feed is due "
            + "(the supply reference file) and whether it is pending, received, revised, late or missing, with every accepted feed and when "
            + "it arrived. Read without a key, like the data sets. The ETag changes when a cell does: a feed arrives or a due day ends.")
        {
            Conditional = true,
            Parameters =
            [
                new("source", "Only this source.") { Values = [.. FeedSource.All] },
                new("from", "Only periods ending from the first month of this period on: `YYYY`, `YYYY-Qn` or `YYYY-MM`."),
                new("to", "Only periods ending by the last month of this period: `YYYY`, `YYYY-Qn` or `YYYY-MM`."),
            ],
            Responses =
            [
                new(200, "The calendar (`Cache-Control: no-cache`).", "SupplyCalendar"),
                Problem(400, "An unknown `source`, a `from` or `to` that is not a period, or `to` ending before `from` begins; `parameter` and `rule` name them."),
            ],
        },

        // Ops: orchestrations.
        ["ListInstances"] = new(OpsTag, ApiAccess.Ops, "List orchestrations",
            "Orchestrations by runtime status, name, instance-id prefix and creation time, newest first across pages (by creation time), a page at a time. "
            + "The first page holds the newest instances whatever the task hub's own order.")
        {
            Parameters =
            [
                new("status", "Runtime statuses to keep (repeated or comma-separated); another value is a 400.", ApiType.StringList) { Values = RuntimeStatuses },
                new("name", "Orchestration names to keep (repeated or comma-separated): `ProcessFeed`, `PullFeed`, `ConsolidatePeriod`.", ApiType.StringList),
                new("prefix", "Instance-id prefix, e.g. `feed:transport:` or `consolidate:2024`."),
                new("from", "Created at or after (RFC 3339).", ApiType.DateTime),
                new("to", "Created at or before (RFC 3339).", ApiType.DateTime),
                new("continuationToken", "The `continuationToken` of the previous page (with the same filters); another text is a 400."),
                new("pageSize", "Instances per page, 1 to 1000 (default 100).", ApiType.Integer),
            ],
            Responses =
            [
                new(200, "A page of instances, and the token of the next page (null on the last).", "InstancePage"),
                Problem(400, "An unknown status, a time that is not RFC 3339, a bad page size or a token the task hub does not accept; `parameter` names it."),
            ],
        },
        ["GetInstance"] = new(OpsTag, ApiAccess.Ops, "One orchestration",
            "Status, input and output summaries, the failure (message, type, stack, the activity that failed and after how many attempts), the feeds behind it, "
            + "what ops may do with it now, and its history in order.")
        {
            Responses = [new(200, "The instance.", "InstanceDetail"), Problem(404, "No orchestration has this id.")],
        },
        ["ReplayInstance"] = new(OpsTag, ApiAccess.Ops, "Replay an orchestration",
            "Runs a failed or terminated instance again from its original input, under the same id (ids are deterministic: a feed's run stays that feed's). "
            + "A failure is replayed once, however often asked.")
        {
            Responses =
            [
                Action(202, "Started again; `Location` is the instance's ops URL."),
                Problem(404, "No orchestration has this id."),
                InstanceConflict(409, "The instance is not failed or terminated, or this failure was replayed already."),
            ],
        },
        ["RewindInstance"] = new(OpsTag, ApiAccess.Ops, "Rewind a failed orchestration",
            "Runs the failed step again and carries on, every earlier result kept, where the engine supports rewinding; a 501 says when it does not (replay instead).")
        {
            Parameters = [Reason],
            Body = ReasonBody,
            Responses =
            [
                Action(202, "Rewind requested; `Location` is the instance's ops URL."),
                Problem(400, "An unreadable reason."),
                Problem(404, "No orchestration has this id."),
                InstanceConflict(409, "The instance is not failed, this failure was handled already, or the engine refused."),
                Problem(501, "This hub's engine cannot rewind: replay the instance instead."),
            ],
        },
        ["TerminateInstance"] = new(OpsTag, ApiAccess.Ops, "Terminate an orchestration",
            "Terminates a pending, running or suspended instance; the reason becomes its output.")
        {
            Parameters = [Reason],
            Body = ReasonBody,
            Responses = [Action(202, "Termination requested."), Problem(400, "An unreadable reason."), Problem(404, "No orchestration has this id."), InstanceConflict(409, "The instance is not pending, running or suspended.")],
        },
        ["SuspendInstance"] = new(OpsTag, ApiAccess.Ops, "Suspend an orchestration", "Stops a pending or running instance at its next step until it is resumed.")
        {
            Parameters = [Reason],
            Body = ReasonBody,
            Responses = [Action(202, "Suspension requested."), Problem(400, "An unreadable reason."), Problem(404, "No orchestration has this id."), InstanceConflict(409, "The instance is not pending or running.")],
        },
        ["ResumeInstance"] = new(OpsTag, ApiAccess.Ops, "Resume an orchestration", "A suspended instance carries on where it stopped.")
        {
            Parameters = [Reason],
            Body = ReasonBody,
            Responses = [Action(202, "Resumption requested."), Problem(400, "An unreadable reason."), Problem(404, "No orchestration has this id."), InstanceConflict(409, "The instance is not suspended.")],
        },
        ["PurgeInstance"] = new(OpsTag, ApiAccess.Ops, "Purge an orchestration's history",
            "Deletes a finished instance's state and history from the task hub; the hub's own records (feeds, ledger, data sets) stay.")
        {
            Responses = [new(200, "Purged.", "InstancePurged"), Problem(404, "No orchestration has this id."), InstanceConflict(409, "The instance has not finished.")],
        },
        ["ReplayFailed"] = new(OpsTag, ApiAccess.Ops, "Replay every failed orchestration",
            "Replays the failed instances that failed at or after `since` (and have one of the names), oldest failure first and at most `max` "
            + "of them, and reports each one's outcome; `dryRun=true` lists them and does nothing. "
            + "Safe to call twice: a failure already replayed is not replayed again.")
        {
            Parameters =
            [
                new("since", "Failed at or after (RFC 3339).", ApiType.DateTime),
                new("name", "Orchestration names to keep (repeated or comma-separated).", ApiType.StringList),
                new("max", "At most this many, oldest failure first, 1 to 500 (default 100); the rest are counted in `notTaken`.", ApiType.Integer),
                new("dryRun", "`true`: list what would be replayed and do nothing.", ApiType.Boolean),
            ],
            Responses =
            [
                new(200, "The counts, and one outcome per failed instance taken.", "ReplayFailedReport"),
                Problem(400, "A time that is not RFC 3339, a bad `max` or `dryRun`; `parameter` names it."),
            ],
        },

        ["Reconsolidate"] = new(OpsTag, ApiAccess.Ops, "Consolidate every stored period again",
            "After an upgrade that changes the methodology (data set 1.0 to 2.0) or the reference values: starts the consolidation of every period "
            + "that has a data set. A period whose current version is of another methodology or coefficient set gets a new version, built from the "
            + "same feeds, whose diff says `methodologyChanged: true`; earlier versions stay readable; a period already current gets none. "
            + "Each period's start is in the audit log. Safe to call again.")
        {
            Responses = [new(202, "The runs started, one per stored period; `Location` lists the consolidation instances.", "ReconsolidationReport") { Location = true }],
        },

        // Ops: feeds and the audit log.
        ["ReprocessFeed"] = new(OpsTag, ApiAccess.Ops, "Reprocess a feed",
            "Runs a quarantined feed through validation again (after the reference data or a schema was fixed) and, valid now, through the pipeline; "
            + "a valid feed whose run failed or never started is run again.")
        {
            Responses =
            [
                new(202, "Processing started; `Location` is the feed's status URL.", "FeedReprocessAccepted") { Location = true },
                Problem(404, "No feed with this id has been received."),
                Problem(410, "The feed was quarantined and its body deleted after the quarantine retention; its report stays."),
                new(409, "Nothing to reprocess: the feed is consolidated, running, changed meanwhile, or its failure was handled already.", "ReprocessProblem", ApiMediaTypes.Problem),
                new(422, "The quarantined feed is still not valid; the problem lists the violations.", "ReprocessProblem", ApiMediaTypes.Problem),
            ],
        },
        ["ListQuarantine"] = new(OpsTag, ApiAccess.Ops, "List quarantined feeds",
            "The quarantined feeds with their reports, a page at a time in name order: the department whose URL the body was pushed to, then "
            + "the feed id (source, period, revision, hash). Go on with the page's `continuationToken` until there is none.")
        {
            Parameters =
            [
                new("source", "Only the bodies pushed to this department's URL.") { Values = [.. FeedSource.All] },
                new("limit", "At most this many feeds per page, 1 to 200 (default 50).", ApiType.Integer),
                new("continuationToken", "The `continuationToken` of the previous page (with the same `source`); another text is a 400."),
            ],
            Responses = [new(200, "The quarantined feeds.", "QuarantineList"), Problem(400, "An unknown source, a bad page size or token; `parameter` names it.")],
        },
        ["Reconcile"] = new(OpsTag, ApiAccess.Ops, "Reconcile what was received with what was published",
            "Walks landing, quarantine, the ledgers, the normalised feeds, the data-set versions and their announcements: per feed period and source, "
            + "how many feeds reached each stage, every feed that stopped short (lost) and anything stored twice. Reads only.")
        {
            Parameters =
            [
                new("graceSeconds", "Feeds younger than this count as in flight, not lost, 0 to 86400 (default 300).", ApiType.Integer),
                new("source", "Only this department's feeds.") { Values = [.. FeedSource.All] },
                new("period", "Only feeds of this period (`YYYY-MM`, `YYYY-Qn`, `YYYY`)."),
            ],
            Responses = [new(200, "The reconciliation.", "Reconciliation"), Problem(400, "An unknown source or a bad grace period; `parameter` names it.")],
        },
        ["StartReconciliation"] = new(OpsTag, ApiAccess.Ops, "Reconcile the whole store in the background",
            "Starts the reconciliation of `GET /api/ops/reconcile` as a Durable orchestration and answers at once; follow it at the status URL, "
            + "which says how many landed feeds it has checked of how many and, once done, gives the same report. Reads only: a reader may start one.")
        {
            Parameters =
            [
                new("graceSeconds", "Feeds younger than this count as in flight, not lost, 0 to 86400 (default 300).", ApiType.Integer),
                new("source", "Only this department's feeds.") { Values = [.. FeedSource.All] },
                new("period", "Only feeds of this period (`YYYY-MM`, `YYYY-Qn`, `YYYY`)."),
            ],
            Responses =
            [
                new(202, "Started; `Location` is its status URL.", "ReconciliationStarted") { Location = true },
                Problem(400, "An unknown source or a bad grace period; `parameter` names it."),
            ],
        },
        ["GetReconciliation"] = new(OpsTag, ApiAccess.Ops, "Follow a background reconciliation",
            "Its state, its progress (landed feeds checked of the total) and, once `Completed`, its report.")
        {
            Responses = [new(200, "The run.", "ReconciliationRun"), Problem(404, "No reconciliation has this id.")],
        },
        ["ListAudit"] = new(OpsTag, ApiAccess.Ops, "Read the audit log",
            "Every push and every ops action (who, when, what, outcome), newest first (in the order appended), filtered and paged by the hub. "
            + "One answer reads at most 16 MiB of the log, so a page may hold fewer than `limit` entries: go on with its `continuationToken`.")
        {
            Parameters =
            [
                new("actor", "Who: principals to keep (repeated or comma-separated, any case): `ops`, a department, `anonymous`.", ApiType.StringList),
                new("action", "What: actions to keep (repeated or comma-separated): `push`, `validate`, `pull`, `replay`, `rewind`, `terminate`, `suspend`, `resume`, `purge`, "
                    + "`replay-failed`, `reprocess`, `reconsolidate`.", ApiType.StringList),
                new("outcome", "Outcomes to keep (repeated or comma-separated): `accepted`, `done`, `refused`, `invalid`, `error`, …", ApiType.StringList),
                new("target", "Targets starting with this text: an instance id, a feed id, or a prefix such as `pull:transport:`."),
                new("from", "Entries at or after (RFC 3339).", ApiType.DateTime),
                new("since", "The same as `from` (kept for existing clients); `from` wins when both are given.", ApiType.DateTime),
                new("to", "Entries at or before (RFC 3339).", ApiType.DateTime),
                new("limit", "At most this many entries per page, 1 to 1000 (default 200).", ApiType.Integer),
                new("continuationToken", "The `continuationToken` of the previous page (with the same filters); another text is a 400."),
            ],
            Responses =
            [
                new(200, "The audit entries.", "AuditLog"),
                Problem(400, "A time that is not RFC 3339, a bad limit or continuation token, or too many filter values (20 at most); `parameter` names it."),
            ],
        },

        // Pages.
        ["OpsConsole"] = new(PagesTag, ApiAccess.None, "The ops console",
            "A web page over the ops API: instances with filters, an instance's detail and failure, replay, rewind, terminate and purge, the quarantine and the audit log. "
            + "The page holds no data and needs no key; it asks the operator for the ops key and sends it with each ops call.")
        {
            Conditional = true,
            Responses = [new(200, "The page.", "Html", ApiMediaTypes.Html)],
        },
        ["Dashboard"] = new(PagesTag, ApiAccess.None, "The data-set dashboard",
            "The latest data set of a chosen period and area: key indicators over time against the plan's targets, the target table, quality flags and what is missing.")
        {
            Conditional = true,
            Responses = [new(200, "The page.", "Html", ApiMediaTypes.Html)],
        },
        ["ApiDocs"] = new(PagesTag, ApiAccess.None, "The API reference",
            "This document rendered for people (Swagger UI, served by the app with its licence): every operation, its parameters, answers and schemas.")
        {
            Conditional = true,
            Responses = [new(200, "The page.", "Html", ApiMediaTypes.Html)],
        },
        ["WebAsset"] = new(PagesTag, ApiAccess.None, "A page asset",
            "A script, style sheet or licence text the pages load or link. Under the URL the pages use (`?v=` its current fingerprint) it is cacheable for a year; under any other, revalidated.")
        {
            Conditional = true,
            Parameters = [new("v", "The asset's current fingerprint, as the pages link it.")],
            Responses =
            [
                new(200, "The asset.", "Asset", ApiMediaTypes.JavaScript) { OtherMediaTypes = [ApiMediaTypes.Css, ApiMediaTypes.Text] },
                Problem(404, "Not one of the files the pages load."),
            ],
        },

        // Host.
        ["Health"] = new(HostTag, ApiAccess.None, "Health probe", "Liveness: answers while the app runs, without calling any dependency.")
        {
            Responses = [new(200, "`{\"status\": \"ok\"}`.", "Health")],
        },
        ["Ready"] = new(HostTag, ApiAccess.None, "Readiness probe",
            "Whether the hub can serve requests now: its blob storage and its Durable task hub both answer. Each is checked within a few seconds; "
            + "the answer is never cached.")
        {
            Responses =
            [
                new(200, "Ready: every dependency answered.", "Readiness"),
                new(503, "Not ready: `dependencies` names those that could not be reached (`storage`, `task-hub`), `dependency` the first of them.",
                    "NotReadyProblem", ApiMediaTypes.Problem) { RetryAfter = true },
            ],
        },
        ["OpenApiDocument"] = new(HostTag, ApiAccess.None, "This document", "The OpenAPI document of the whole HTTP surface, derived from the functions' own routes.")
        {
            Conditional = true,
            Responses = [new(200, "The document.", "OpenApi", ApiMediaTypes.OpenApiJson)],
        },
    };

    private static ApiResponse Problem(int status, string description) => new(status, description, "Problem", ApiMediaTypes.Problem);

    private static ApiResponse InstanceConflict(int status, string description) => new(status, description, "InstanceConflictProblem", ApiMediaTypes.Problem);

    private static ApiResponse Action(int status, string description) => new(status, description, "InstanceActionAccepted") { Location = true };
}
