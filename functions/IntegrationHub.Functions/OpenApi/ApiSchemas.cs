using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace IntegrationHub.Functions.OpenApi;

/// <summary>
/// The schemas of the document's components: the answers' shapes as the functions write them. Feeds and data sets
/// are described by the repository's own JSON Schemas (draft 2020-12, <c>schemas/</c>); here they are outlined,
/// open to further properties, and point there.
/// </summary>
internal static class ApiSchemas
{
    public static void Register(OpenApiDocument document)
    {
        var schemas = document.Components!.Schemas!;
        IOpenApiSchema Ref(string name) => new OpenApiSchemaReference(name, document);

        schemas["Problem"] = Object(
            "An RFC 7807 problem: the one error shape of the API.",
            new()
            {
                ["type"] = Text("`about:blank`: the status says what kind of problem it is."),
                ["title"] = Text("A short summary of the problem."),
                ["status"] = Integer("The HTTP status."),
                ["detail"] = Text("What went wrong and what to do about it."),
                ["parameter"] = Text("The route or query parameter, or the request header (`Content-Type`, `Content-Encoding`), at fault, when one is."),
                ["dependency"] = Enum("A 503: what could not be reached (`audit-log`: an ops action that could not be recorded, so was not done).", "storage", "task-hub", "audit-log"),
                ["retryAfter"] = Integer("A 429: seconds to wait, as the `Retry-After` header says."),
                ["rule"] = Text("The rule the input breaks (`rule:…`), when the problem names one."),
            },
            required: ["title", "status"]);
        schemas["ValidationIssue"] = Object(
            "One violation: where in the feed, which rule, and a sentence a department's engineer understands.",
            new()
            {
                ["instanceLocation"] = Text("JSON Pointer (RFC 6901) into the feed; empty for the whole document."),
                ["schemaLocation"] = Nullable(Text("The schema keyword's absolute location, or the rule id of a domain rule.")),
                ["keyword"] = Text("The JSON Schema keyword (`required`, …), or `rule:…` / `parse:…`."),
                ["message"] = Text("The explanation."),
                ["isParseError"] = Boolean("True for a `parse:` keyword: the bytes are not a usable JSON document."),
            },
            required: ["instanceLocation", "keyword", "message"],
            open: false);
        schemas["InvalidFeedProblem"] = new OpenApiSchema
        {
            Description = "The problem of an invalid feed: every violation, and where to follow the quarantined feed.",
            AllOf =
            [
                Ref("Problem"),
                Object(null, new()
                {
                    ["feedId"] = Text("The feed's id."),
                    ["statusUrl"] = Text("`/api/feeds/{source}/{feedId}`."),
                    ["errors"] = ArrayOf(Ref("ValidationIssue"), "Every violation (the first 1000)."),
                    ["errorsNotListed"] = Integer("Violations beyond the first 1000, counted but not listed; absent when none."),
                    ["warnings"] = ArrayOf(Ref("ValidationIssue"), "What is suspicious but accepted."),
                    ["receipt"] = Ref("Receipt"),
                }),
            ],
        };
        schemas["Receipt"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Pattern = "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$",
            Description = "The hub's signed receipt of the bytes: a compact JWS (RFC 7515, ES256, `typ` `hub-receipt+jwt`, `kid` a key of "
                + "`GET /receipts/keys`) whose payload is `{iss, iat, feedId, source, period, sha256, size, receivedAt, verdict}`; `verdict` is "
                + "`accepted` or `quarantined`. The same bytes always get the same receipt. `hub receipt verify` checks it offline.",
        };
        schemas["JwkSet"] = Object(
            "The public keys receipts are signed with (RFC 7517 JWK set), every version that may have signed one.",
            new()
            {
                ["keys"] = ArrayOf(Object(null, new()
                {
                    ["kty"] = Enum(null, "EC"),
                    ["crv"] = Enum(null, "P-256"),
                    ["x"] = Text("base64url."),
                    ["y"] = Text("base64url."),
                    ["kid"] = Text("The `kid` a receipt's header names."),
                    ["alg"] = Enum(null, "ES256"),
                    ["use"] = Enum(null, "sig"),
                }, required: ["kty", "crv", "x", "y", "kid"])),
            },
            required: ["keys"]);
        schemas["FeedCheckProblem"] = new OpenApiSchema
        {
            Description = "The problem of a feed checked without being sent: every violation, as a push would report it; nothing was stored.",
            AllOf =
            [
                Ref("Problem"),
                Object(null, new()
                {
                    ["feedId"] = Nullable(Text("The id the feed would get.")),
                    ["errors"] = ArrayOf(Ref("ValidationIssue"), "Every violation (the first 1000)."),
                    ["errorsNotListed"] = Integer("Violations beyond the first 1000, counted but not listed; absent when none."),
                    ["warnings"] = ArrayOf(Ref("ValidationIssue"), "What is suspicious but accepted."),
                }),
            ],
        };
        schemas["InstanceConflictProblem"] = new OpenApiSchema
        {
            Description = "Why an instance action cannot be done now, and what can be done with the instance instead.",
            AllOf =
            [
                Ref("Problem"),
                Object(null, new()
                {
                    ["instanceId"] = Text(null),
                    ["runtimeStatus"] = Text("The instance's runtime status, when that is why (`Running`, `Completed`, …)."),
                    ["actions"] = ArrayOf(Text(null), "What ops may do with it in that status (`replay`, `rewind`, `terminate`, `suspend`, `resume`, `purge`)."),
                    ["outcome"] = Text("A replay refused: `already-replayed` or `being-started`."),
                }),
            ],
        };
        schemas["ReprocessProblem"] = new OpenApiSchema
        {
            Description = "Why a feed was not reprocessed: its run's state, or (422) the violations it still has.",
            AllOf =
            [
                Ref("Problem"),
                Object(null, new()
                {
                    ["feedId"] = Text(null),
                    ["instanceId"] = Text("The feed's run."),
                    ["state"] = Text("The feed's state (`Consolidated`, `Validated`, …)."),
                    ["runtimeStatus"] = Text("Its run's runtime status."),
                    ["statusUrl"] = Text("A 422: the feed's status URL."),
                    ["errors"] = ArrayOf(Ref("ValidationIssue"), "A 422: every violation found again."),
                    ["warnings"] = ArrayOf(Ref("ValidationIssue")),
                    ["report"] = Ref("ValidationReport"),
                }),
            ],
        };
        schemas["ValidationReport"] = Object(
            "The complete verdict on a feed: every error and warning, never just the first.",
            new()
            {
                ["valid"] = Boolean("True when there is no error."),
                ["verdict"] = Enum("`Unusable`: the bytes are not a usable JSON document.", "Valid", "Invalid", "Unusable"),
                ["feedId"] = Nullable(Text("The feed's id, when the envelope could be read.")),
                ["source"] = Nullable(Text("The source the feed states.")),
                ["period"] = Nullable(Text("The period the feed states.")),
                ["revision"] = Nullable(Integer("The revision the feed states.")),
                ["schemaVersion"] = Nullable(Text("The schema version used.")),
                ["schemaId"] = Nullable(Text("The schema's `$id`.")),
                ["contentHash"] = Nullable(Text("SHA-256 of the bytes, hex.")),
                ["errors"] = ArrayOf(Ref("ValidationIssue"), "Every violation (the first 1000)."),
                ["errorsNotListed"] = Integer("Violations beyond the first 1000, counted but not listed; absent when none."),
                ["warnings"] = ArrayOf(Ref("ValidationIssue")),
            });
        schemas["Feed"] = Object(
            "A department feed. Its full schema (JSON Schema draft 2020-12) is served at `/api/schemas/feeds/{source}/{schemaVersion}`.",
            new()
            {
                ["schemaVersion"] = Text("The feed schema version; absent means the latest."),
                ["source"] = Text("statistics, power-grid, transport or environment: the route's source."),
                ["period"] = Text("`YYYY-MM`, or `YYYY` / `YYYY-Qn` for statistics."),
                ["revision"] = Integer("0 for the first release of a period, then 1, 2, …"),
                ["producedAt"] = DateTime("When the department produced the feed."),
                ["producer"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "Who produced the feed." },
                ["records"] = ArrayOf(new OpenApiSchema { Type = JsonSchemaType.Object }, "The measures, as the source's schema defines them."),
            },
            required: ["source", "period", "revision", "producedAt", "producer", "records"]);
        schemas["FeedAccepted"] = Object(
            "A new valid feed: processing has started.",
            new()
            {
                ["feedId"] = Text("The feed's id."),
                ["status"] = Text("The status URL, `/api/feeds/{source}/{feedId}`."),
                ["warnings"] = ArrayOf(Ref("ValidationIssue")),
                ["receipt"] = Ref("Receipt"),
            },
            required: ["feedId", "status", "receipt"]);
        schemas["FeedDuplicate"] = Object(
            "These exact bytes were received before.",
            new()
            {
                ["feedId"] = Text("The feed's id."),
                ["status"] = Text("The status URL."),
                ["duplicate"] = Boolean("Always true."),
                ["receipt"] = Nullable(Ref("Receipt")),
            },
            required: ["feedId", "status", "duplicate"]);
        schemas["FeedStatus"] = Object(
            "What the hub knows about one feed.",
            new()
            {
                ["feedId"] = Text("The feed's id."),
                ["source"] = Text("Its source."),
                ["period"] = Nullable(Text("Its period, when the envelope could be read.")),
                ["state"] = Enum("`Received`: landed, no verdict yet.", "Received", "Validated", "Quarantined", "Consolidated"),
                ["landingBlob"] = Text("Where the bytes are kept."),
                ["receivedAt"] = DateTime("When the bytes landed."),
                ["report"] = Nullable(Ref("ValidationReport")),
                ["datasets"] = ArrayOf(Text(null), "The data-set versions that first included the feed, as `{period}/v{n}`."),
                ["receipt"] = Nullable(Ref("Receipt")),
            },
            required: ["feedId", "source", "state"]);
        schemas["PullStarted"] = Object(
            "A pull of one department period.",
            new()
            {
                ["instanceId"] = Text("`pull:{source}:{period}`."),
                ["started"] = Boolean("False when that pull was already running."),
                ["status"] = Text("The instance's ops URL."),
            },
            required: ["instanceId", "started", "status"]);
        schemas["PublishedPeriod"] = Object(
            "A period with a published data set.",
            new()
            {
                ["period"] = Text("`YYYY` or `YYYY-Qn`."),
                ["kind"] = Enum(null, "quarter", "year"),
                ["latestVersion"] = Integer("The current version."),
                ["url"] = Text("The current version's immutable URL."),
            },
            required: ["period", "kind", "latestVersion", "url"]);
        schemas["AreaDirectory"] = Object(
            "The areas of the reference data, in its order.",
            new()
            {
                ["version"] = Text("The version of the areas file."),
                ["areas"] = ArrayOf(Object(null, new()
                {
                    ["code"] = Text("The area code used in data sets: an NBS division code, or `XJNA`, `WCM`, `PARK_…`."),
                    ["nameZh"] = Text("The Chinese name, e.g. 望月湖街道."),
                    ["nameEn"] = Text("The English name."),
                    ["kind"] = Text("`new-area`, `district`, `managed-area`, `street`, `town` or `park`."),
                    ["parent"] = Nullable(Text("The code of the area it adds up into; null for the New Area and the parks.")),
                    ["overlay"] = Boolean("True for a park: its figures overlap the units it lies in."),
                }, required: ["code", "nameZh", "nameEn", "kind", "parent", "overlay"])),
            },
            required: ["version", "areas"]);
        schemas["PublishedVersions"] = Object(
            "A period's published versions, ascending.",
            new()
            {
                ["period"] = Text(null),
                ["latestVersion"] = Integer(null),
                ["versions"] = ArrayOf(Object(null, new() { ["version"] = Integer(null), ["url"] = Text(null) }, required: ["version", "url"])),
            },
            required: ["period", "latestVersion", "versions"]);
        schemas["SupplyCalendar"] = Object(
            "The supply calendar: the due rules, the count of cells per state, and one cell per source and period asked for.",
            new()
            {
                ["timeZone"] = Text("The departments' calendar, `+08:00` (China time): due days end at its midnight."),
                ["agreement"] = Text("Where the due dates come from: the hub's agreement with the departments."),
                ["rules"] = ArrayOf(Object(
                    "When a source's feed for a period of one kind is due: by day `day` of the month `monthsAfter` months after the period's last "
                    + "month (a day past the month's length is its last day); expected from `firstPeriod` on.",
                    new()
                    {
                        ["source"] = Text(null),
                        ["periodKind"] = Enum(null, "year", "quarter", "month"),
                        ["firstPeriod"] = Text(null),
                        ["monthsAfter"] = Integer(null),
                        ["day"] = Integer(null),
                        ["basis"] = Text("Why this date."),
                    },
                    required: ["source", "periodKind", "firstPeriod", "monthsAfter", "day", "basis"])),
                ["counts"] = Object(
                    "Cells per state.",
                    new() { ["pending"] = Integer(null), ["received"] = Integer(null), ["revised"] = Integer(null), ["late"] = Integer(null), ["missing"] = Integer(null) },
                    required: ["pending", "received", "revised", "late", "missing"]),
                ["cells"] = ArrayOf(Object(
                    "One source and period. `pending`: not due, nothing received; `received`: one feed, on time; `revised`: on time, then later "
                    + "feeds; `late`: the first feed after `dueAt`; `missing`: `dueAt` passed, nothing received.",
                    new()
                    {
                        ["source"] = Text(null),
                        ["period"] = Text(null),
                        ["periodKind"] = Enum(null, "year", "quarter", "month"),
                        ["dueBy"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date", Description = "The last day (China time) a feed is on time." },
                        ["dueAt"] = DateTime("From this instant a feed is late: the end of `dueBy`, China time."),
                        ["state"] = Enum(null, "pending", "received", "revised", "late", "missing"),
                        ["receivedAt"] = Nullable(DateTime("When the first feed arrived (the hub's clock); null when none has.")),
                        ["feeds"] = ArrayOf(Object(
                            "An accepted feed of the period, first received first.",
                            new()
                            {
                                ["feedId"] = Text(null),
                                ["revision"] = Integer(null),
                                ["receivedAt"] = Nullable(DateTime("Null for feeds recorded before the ledger kept the received time.")),
                            },
                            required: ["feedId", "revision", "receivedAt"])),
                    },
                    required: ["source", "period", "periodKind", "dueBy", "dueAt", "state", "receivedAt", "feeds"])),
            },
            required: ["timeZone", "agreement", "rules", "counts", "cells"]);
        schemas["SchemaCatalogue"] = Object(
            "Every schema the hub embeds, by path.",
            new()
            {
                ["schemas"] = ArrayOf(Object(null, new()
                {
                    ["kind"] = Text("`feeds`, `events`, `dataset` or `reference`."),
                    ["name"] = Nullable(Text("The feed source, event type or reference-data name; null for the data set.")),
                    ["version"] = Nullable(Text("MAJOR.MINOR; null for reference data.")),
                    ["title"] = Text("The schema's title."),
                    ["id"] = Text("The schema's `$id`; its path is `url`."),
                    ["url"] = Text("Where this hub serves it: `/api/schemas/{kind}/{name}/{version}`, `/api/schemas/dataset/{version}` or `/api/schemas/reference/{name}`."),
                    ["latest"] = Boolean("The newest version of its name: a feed without `schemaVersion` is held to it."),
                }, required: ["kind", "name", "version", "title", "id", "url", "latest"])),
            },
            required: ["schemas"]);
        schemas["JsonSchema"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "A JSON Schema (draft 2020-12) document." };
        schemas["Dataset"] = Object(
            "A `dual-carbon-dataset` document, 2.0 since the methodology upgrade (a version published before stays 1.0); its full schema is "
                + "`schemas/dataset/{schemaVersion}.schema.json` in the repository.",
            new()
            {
                ["schemaVersion"] = Text(null),
                ["period"] = Text(null),
                ["version"] = Integer(null),
                ["generatedAt"] = DateTime(null),
                ["status"] = Enum("`complete` when every source covers the period.", "complete", "partial"),
                ["missing"] = ArrayOf(Text(null), "What is missing, as `{source}:{period}`."),
                ["inputs"] = ArrayOf(new OpenApiSchema { Type = JsonSchemaType.Object }, "The feeds the version was built from."),
                ["methodology"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "2.0: the methodology and coefficient set the version was built under." },
                ["diff"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "What changed against the period's previous version; absent in version 1." },
                ["coefficients"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The coefficients used, each with its source." },
                ["areas"] = ArrayOf(new OpenApiSchema { Type = JsonSchemaType.Object }, "Indicators per area."),
                ["targets"] = ArrayOf(new OpenApiSchema { Type = JsonSchemaType.Object }, "The plan's targets and their status."),
                ["warnings"] = ArrayOf(new OpenApiSchema { Type = JsonSchemaType.Object }),
            },
            required: ["schemaVersion", "period", "version", "generatedAt", "status", "missing", "inputs", "coefficients", "areas", "targets", "warnings"]);
        schemas["VersionComparison"] = Object(
            "What changed between two versions of a period.",
            new()
            {
                ["period"] = Text(null),
                ["from"] = Integer(null),
                ["to"] = Integer(null),
                ["changedIndicators"] = ArrayOf(Object(null, new()
                {
                    ["areaCode"] = Text(null),
                    ["id"] = Text("The indicator id."),
                    ["old"] = Nullable(Number("The value in `from`; null where absent.")),
                    ["new"] = Nullable(Number("The value in `to`; null where absent.")),
                }, required: ["areaCode", "id"])),
                ["changedInputs"] = ArrayOf(Text(null), "Feed ids `to` uses that `from` does not."),
            },
            required: ["period", "from", "to", "changedIndicators", "changedInputs"]);
        schemas["Instance"] = Object(
            "One orchestration in a list.",
            new()
            {
                ["instanceId"] = Text(null),
                ["name"] = Text("`ProcessFeed`, `PullFeed` or `ConsolidatePeriod`."),
                ["status"] = Text("The runtime status (`Running`, `Completed`, `Failed`, …)."),
                ["createdAt"] = DateTime(null),
                ["lastUpdatedAt"] = DateTime(null),
                ["customStatus"] = Nullable(Text("JSON text with the `stage`.")),
                ["output"] = Nullable(Text("The output, as JSON text.")),
                ["failure"] = Nullable(Text("Why it failed, when it did.")),
                ["quarantine"] = Nullable(Ref("QuarantineSummary")),
            },
            required: ["instanceId", "name", "status", "createdAt", "lastUpdatedAt"]);
        schemas["QuarantineSummary"] = Object(
            "A feed's run that completed with the feed quarantined: the feed, its state now and its violations (in a list the first three, in the detail all listed).",
            new()
            {
                ["feedId"] = Text(null),
                ["state"] = Nullable(Text("The feed's state now: `Quarantined` until it is reprocessed; null when the feed is not found.")),
                ["errors"] = Integer("How many violations the report counts."),
                ["issues"] = ArrayOf(Ref("ValidationIssue"), "Violations, each with its JSON Pointer (`instanceLocation`) and rule (`keyword`)."),
                ["statusUrl"] = Text(null),
            },
            required: ["feedId", "errors", "issues", "statusUrl"]);
        schemas["InstancePage"] = Object(
            "A page of orchestrations, newest first across pages (by creation time; at the same moment, by instance id).",
            new()
            {
                ["instances"] = ArrayOf(Ref("Instance")),
                ["continuationToken"] = Nullable(Text("Pass it back for the next page; null on the last.")),
            },
            required: ["instances"]);
        schemas["InstanceDetail"] = Object(
            "One orchestration in detail.",
            new()
            {
                ["instanceId"] = Text(null),
                ["name"] = Text(null),
                ["status"] = Text("The runtime status."),
                ["createdAt"] = DateTime(null),
                ["lastUpdatedAt"] = DateTime(null),
                ["customStatus"] = Nullable(Text("JSON text with the `stage`.")),
                ["input"] = Nullable(Text("The serialised input, at most 4096 characters.")),
                ["inputTruncated"] = Boolean(null),
                ["output"] = Nullable(Text("The serialised output, or the failure message as the engine records it (same limit).")),
                ["outputTruncated"] = Boolean(null),
                ["failure"] = Nullable(Object("Why it failed: the root cause (the failed activity's exception when an activity failed).", new()
                {
                    ["message"] = Text(null),
                    ["type"] = Nullable(Text("The exception type.")),
                    ["stackTrace"] = Nullable(Text(null)),
                    ["activity"] = Nullable(Text("The activity that failed.")),
                    ["attempts"] = Nullable(Integer("Its failed attempts in a row, retries included.")),
                    ["summary"] = Nullable(Text("The orchestration's own failure message.")),
                    ["failedAt"] = Nullable(DateTime(null)),
                }, required: ["message"])),
                ["feeds"] = ArrayOf(Object(null, new()
                {
                    ["source"] = Text(null),
                    ["period"] = Text(null),
                    ["contentHash"] = Nullable(Text(null)),
                    ["feedId"] = Nullable(Text(null)),
                    ["state"] = Nullable(Text("The feed's state, or `NotReceived`.")),
                    ["statusUrl"] = Nullable(Text(null)),
                }, required: ["source", "period"]), "The feeds behind the instance."),
                ["actions"] = ArrayOf(Text(null), "What ops may do now: `replay`, `rewind`, `terminate`, `suspend`, `resume`, `purge`."),
                ["history"] = ArrayOf(Object(null, new()
                {
                    ["eventId"] = Nullable(Integer(null)),
                    ["type"] = Text(null),
                    ["name"] = Nullable(Text(null)),
                    ["timestamp"] = Nullable(DateTime(null)),
                    ["taskScheduledId"] = Nullable(Integer(null)),
                    ["detail"] = Nullable(Text(null)),
                }, required: ["type"]), "The history events, in order."),
                ["historySource"] = Text("Where the history comes from, or why it is empty."),
                ["quarantine"] = Nullable(Ref("QuarantineSummary")),
                ["earlierRuns"] = Nullable(ArrayOf(Ref("EarlierRun"), "The runs replays (or reprocessing) replaced, newest first, at most 10: the engine keeps only the current run.")),
                ["earlierRunCount"] = Integer("How many earlier runs the hub keeps in all."),
            },
            required: ["instanceId", "name", "status", "createdAt", "lastUpdatedAt", "feeds", "actions", "history", "historySource"]);
        schemas["EarlierRun"] = Object(
            "A run of the instance that a replay or reprocess replaced, as the hub kept it just before.",
            new()
            {
                ["status"] = Text("How it ended: `Failed` or `Terminated`."),
                ["createdAt"] = DateTime(null),
                ["endedAt"] = DateTime(null),
                ["replacedAt"] = DateTime(null),
                ["replacedBy"] = Text("The action and principal, e.g. `replay by ops`."),
                ["customStatus"] = Nullable(Text(null)),
                ["output"] = Nullable(Text("Its output or failure message, at most 4096 characters.")),
                ["outputTruncated"] = Boolean(null),
                ["failure"] = Nullable(Object("Why it failed, as `failure` of the instance.", new()
                {
                    ["message"] = Text(null),
                    ["type"] = Nullable(Text(null)),
                    ["stackTrace"] = Nullable(Text(null)),
                    ["activity"] = Nullable(Text(null)),
                    ["attempts"] = Nullable(Integer(null)),
                    ["summary"] = Nullable(Text(null)),
                    ["failedAt"] = Nullable(DateTime(null)),
                }, required: ["message"])),
                ["history"] = ArrayOf(Object(null, new()
                {
                    ["eventId"] = Nullable(Integer(null)),
                    ["type"] = Text(null),
                    ["name"] = Nullable(Text(null)),
                    ["timestamp"] = Nullable(DateTime(null)),
                    ["taskScheduledId"] = Nullable(Integer(null)),
                    ["detail"] = Nullable(Text(null)),
                }, required: ["type"]), "Its last 500 history events, in order."),
                ["eventsNotKept"] = Integer("Earlier events of a longer history that were not kept."),
            },
            required: ["status", "createdAt", "endedAt", "replacedAt", "replacedBy", "history"]);
        schemas["InstanceActionAccepted"] = Object(
            "An accepted instance action; each action is also written to the audit log.",
            new()
            {
                ["instanceId"] = Text(null),
                ["action"] = Enum(null, "replay", "rewind", "terminate", "suspend", "resume"),
                ["detail"] = Text("What happens next."),
                ["status"] = Text("Where to follow the instance: `/api/ops/instances/{instanceId}`."),
            },
            required: ["instanceId", "action", "detail", "status"]);
        schemas["InstancePurged"] = Object(null, new() { ["instanceId"] = Text(null), ["purgedInstances"] = Integer(null) }, required: ["instanceId", "purgedInstances"]);
        schemas["ReasonRequest"] = Object(null, new() { ["reason"] = Text("Why, at most 1000 characters (kept in the audit log).") });
        schemas["ReplayFailedReport"] = Object(
            "What a bulk replay did.",
            new()
            {
                ["matched"] = Integer("Failed instances that matched, taken or not."),
                ["notTaken"] = Integer("Matched beyond `max`, oldest failure first taken: left failed for a next call."),
                ["dryRun"] = Boolean("True: nothing was done; `results` lists what would have been replayed (`would-replay`)."),
                ["replayed"] = Integer(null),
                ["skipped"] = Integer("Replayed before, or being started by someone else."),
                ["errors"] = Integer(null),
                ["results"] = ArrayOf(Object(null, new()
                {
                    ["instanceId"] = Text(null),
                    ["name"] = Text(null),
                    ["failedAt"] = DateTime(null),
                    ["outcome"] = Enum(null, "replayed", "already-replayed", "being-started", "error", "would-replay"),
                    ["detail"] = Nullable(Text(null)),
                }, required: ["instanceId", "name", "failedAt", "outcome"])),
            },
            required: ["matched", "replayed", "skipped", "errors", "results"]);
        schemas["ReconsolidationReport"] = Object(
            "What a re-consolidation started.",
            new()
            {
                ["methodologyVersion"] = Text("The methodology this build consolidates under."),
                ["periods"] = Integer("Periods with a stored data set."),
                ["started"] = Integer(null),
                ["running"] = Integer("Periods whose consolidation was already running (it builds under the current methodology too)."),
                ["errors"] = Integer(null),
                ["outdated"] = Integer("Periods whose current version is of an older methodology."),
                ["results"] = ArrayOf(Object(null, new()
                {
                    ["period"] = Text(null),
                    ["instanceId"] = Text(null),
                    ["currentVersion"] = Nullable(Integer("The version current when asked.")),
                    ["methodologyVersion"] = Nullable(Text("That version's methodology (`1.0` before data set 2.0).")),
                    ["outcome"] = Enum(null, "started", "running", "error"),
                    ["status"] = Text("The consolidation's status URL."),
                }, required: ["period", "instanceId", "outcome", "status"])),
            },
            required: ["methodologyVersion", "periods", "started", "running", "errors", "outdated", "results"]);
        schemas["FeedReprocessAccepted"] = Object(
            "A feed sent through the pipeline again.",
            new()
            {
                ["feedId"] = Text(null),
                ["instanceId"] = Text("The run that processes it."),
                ["reprocessing"] = Enum("`revalidated`: a quarantined feed valid now; `restarted`: a failed or terminated run started again; `started`: a run that never started.", "revalidated", "restarted", "started"),
                ["status"] = Text("The feed's status URL."),
                ["warnings"] = ArrayOf(Ref("ValidationIssue")),
            },
            required: ["feedId", "instanceId", "reprocessing", "status"]);
        schemas["QuarantineList"] = Object(
            "A page of quarantined feeds, in name order (the department the body was pushed to, then the feed id).",
            new()
            {
                ["feeds"] = ArrayOf(Object(null, new()
                {
                    ["feedId"] = Text(null),
                    ["source"] = Text("The department whose URL the body was pushed to (the feed id may name another)."),
                    ["period"] = Nullable(Text(null)),
                    ["receivedAt"] = DateTime(null),
                    ["landingBlob"] = Nullable(Text("Where the body is, or was until the quarantine retention deleted it; null for a report of an older build.")),
                    ["statusUrl"] = Text(null),
                    ["errors"] = Nullable(Integer("Errors in the report, listed or not.")),
                    ["report"] = Nullable(Ref("ValidationReport")),
                }, required: ["feedId", "source", "receivedAt", "statusUrl"])),
                ["continuationToken"] = Nullable(Text("Pass it back for the next page; null after the last.")),
            },
            required: ["feeds"]);
        schemas["AuditLog"] = Object(
            "Pushes and ops actions, newest first.",
            new()
            {
                ["entries"] = ArrayOf(Object(null, new()
                {
                    ["at"] = DateTime(null),
                    ["actor"] = Text("The principal: `ops`, a department (`transport`, …), a signed-in person's object id, or `anonymous` (no key, or a key that is nobody's). Never the key."),
                    ["keySlot"] = Enum("Which of its keys (`none` for anonymous; `entra-id` for a person signed in).", "primary", "secondary", "entra-id", "none", "unknown"),
                    ["name"] = Nullable(Text("The signed-in person's name; null for a key.")),
                    ["action"] = Text("`push`, `validate`, `read` (an ops read), or an ops action: `pull`, `replay`, `rewind`, `terminate`, `suspend`, `resume`, `purge`, `replay-failed`, `reprocess`, `reconsolidate`."),
                    ["target"] = Text("The instance id or feed id acted on; `feeds/{source}` for a push whose body was not read."),
                    ["outcome"] = Text("Ops: `accepted`, `done`, `refused`, `not-found`, `not-supported`, `invalid`, `skipped` or `error` (a pull: `started`, `running`, "
                        + "`not-configured`). Pushes: `accepted`, `duplicate`, `rejected`, `refused` (401, 403), `not-found`, `too-large`, `unsupported-media-type`, "
                        + "`rate-limited` or `error`; validations `valid` or `invalid`, and the same refusals."),
                    ["status"] = Integer("The HTTP status answered."),
                    ["detail"] = Nullable(Text(null)),
                }, required: ["at", "actor", "action", "target", "outcome", "status"])),
                ["continuationToken"] = Nullable(Text(
                    "Pass it back (with the same filters) for older entries; null once the oldest was read. A page may hold fewer entries than `limit` "
                    + "when the filters matched little of what one answer reads (16 MiB of the log): go on with the token.")),
            },
            required: ["entries"]);
        var counts = new Dictionary<string, IOpenApiSchema>
        {
            ["landed"] = Integer("Bodies stored in landing (every received body is landed first)."),
            ["validated"] = Integer("Landed bodies judged valid."),
            ["quarantined"] = Integer("Landed bodies quarantined, with their report."),
            ["inLedger"] = Integer("Valid feeds recorded in their year's ledger."),
            ["consolidated"] = Integer("Feeds in a stored data-set version that lists them."),
            ["published"] = Integer("Consolidated feeds whose data-set version (or a later one) was announced."),
            ["inFlight"] = Integer("Feeds younger than the grace period still on their way: not lost."),
            ["lost"] = Integer("Feeds older than the grace period that stopped short: each is listed under `lost`."),
        };
        schemas["Reconciliation"] = Object(
            "Per feed period and source, how many feeds reached each stage; every feed that is in one state but missing from the next; everything stored twice.",
            new()
            {
                ["generatedAt"] = DateTime(null),
                ["graceSeconds"] = Integer(null),
                ["totals"] = Object(null, new(counts) { ["duplicates"] = Integer("Entries under `duplicates`.") }),
                ["rows"] = ArrayOf(Object(null, new(counts) { ["period"] = Text("The feed's period, or `unknown` for unreadable bodies."), ["source"] = Text(null) })),
                ["lost"] = ArrayOf(Object(null, new()
                {
                    ["feedId"] = Text("Empty for bodies without a verdict."),
                    ["source"] = Text(null),
                    ["period"] = Nullable(Text(null)),
                    ["state"] = Text("The state the feed is recorded in."),
                    ["stage"] = Enum("The stage it did not reach.", "verdict", "quarantine-report", "ledger", "normalised", "consolidation", "dataset", "announcement"),
                    ["detail"] = Text(null),
                })),
                ["duplicates"] = ArrayOf(Object(null, new()
                {
                    ["kind"] = Enum(null, "ledger-entry", "dataset-version"),
                    ["subject"] = Text("The feed id, or the data-set period."),
                    ["occurrences"] = ArrayOf(Text(null)),
                })),
            },
            required: ["generatedAt", "graceSeconds", "totals", "rows", "lost", "duplicates"]);
        schemas["ReconciliationStarted"] = Object(
            "A reconciliation started in the background.",
            new()
            {
                ["runId"] = Text(null),
                ["instanceId"] = Text("Its orchestration: `reconcile:{runId}`."),
                ["status"] = Text("Where to follow it: `/api/ops/reconciliations/{runId}`."),
            },
            required: ["runId", "instanceId", "status"]);
        schemas["ReconciliationRun"] = Object(
            "A background reconciliation: its state, how far it is and, once completed, its report.",
            new()
            {
                ["runId"] = Text(null),
                ["instanceId"] = Text(null),
                ["status"] = Enum(null, "Pending", "Running", "Completed", "Failed", "Terminated", "Suspended"),
                ["progress"] = Nullable(Object("Null until the run has begun.", new()
                {
                    ["phase"] = Enum(null, "counting", "reading records", "checking feeds", "done"),
                    ["checked"] = Integer("Landed feeds looked at so far."),
                    ["total"] = Integer("Landed feeds to look at (of the source asked for, or all)."),
                    ["updatedAt"] = DateTime(null),
                })),
                ["report"] = Nullable(Ref("Reconciliation")),
                ["failure"] = Nullable(Text("Why a failed run failed.")),
                ["statusUrl"] = Text(null),
            },
            required: ["runId", "instanceId", "status", "statusUrl"]);
        schemas["Html"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "An HTML page." };
        schemas["Asset"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A script, style sheet or licence text." };
        schemas["Health"] = Object(null, new() { ["status"] = Enum(null, "ok") }, required: ["status"]);
        var checks = Object("Each dependency checked: `ok` or `unavailable`.", new()
        {
            ["storage"] = Enum("The hub's blob storage.", "ok", "unavailable"),
            ["task-hub"] = Enum("The Durable task hub.", "ok", "unavailable"),
        });
        schemas["Readiness"] = Object(null, new() { ["status"] = Enum(null, "ready"), ["checks"] = checks }, required: ["status", "checks"]);
        schemas["NotReadyProblem"] = new OpenApiSchema
        {
            Description = "The problem of a hub that cannot serve now, naming what is down (the reason is in the app's log).",
            AllOf =
            [
                Ref("Problem"),
                Object(null, new()
                {
                    ["dependency"] = Enum("The first dependency down.", "storage", "task-hub"),
                    ["dependencies"] = ArrayOf(Enum(null, "storage", "task-hub"), "Every dependency down."),
                    ["checks"] = checks,
                }),
            ],
        };
        schemas["OpenApi"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "An OpenAPI 3 document." };
    }

    private static OpenApiSchema Object(string? description, Dictionary<string, IOpenApiSchema> properties, string[]? required = null, bool open = true) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Properties = properties,
        Required = required is null ? null : new HashSet<string>(required, StringComparer.Ordinal),

        // Answers gain properties over time (additive changes only); clients ignore those they do not know.
        AdditionalPropertiesAllowed = open,
    };

    private static OpenApiSchema Text(string? description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Integer(string? description) => new() { Type = JsonSchemaType.Integer, Format = "int32", Description = description };

    private static OpenApiSchema Number(string? description) => new() { Type = JsonSchemaType.Number, Format = "double", Description = description };

    private static OpenApiSchema Boolean(string? description) => new() { Type = JsonSchemaType.Boolean, Description = description };

    private static OpenApiSchema DateTime(string? description) => new() { Type = JsonSchemaType.String, Format = "date-time", Description = description };

    private static OpenApiSchema Enum(string? description, params string[] values) => new()
    {
        Type = JsonSchemaType.String,
        Description = description,
        Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
    };

    private static OpenApiSchema ArrayOf(IOpenApiSchema items, string? description = null) => new() { Type = JsonSchemaType.Array, Items = items, Description = description };

    /// <summary>The schema, or null. A schema of its own gains the null type; a reference is wrapped.</summary>
    private static IOpenApiSchema Nullable(IOpenApiSchema schema)
    {
        if (schema is OpenApiSchema { Type: { } type } own)
        {
            own.Type = type | JsonSchemaType.Null;
            return own;
        }

        return new OpenApiSchema { AnyOf = [schema, new OpenApiSchema { Type = JsonSchemaType.Null }] };
    }
}
