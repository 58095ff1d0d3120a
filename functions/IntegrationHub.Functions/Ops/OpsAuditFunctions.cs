using System.Globalization;
using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.Ops;

/// <summary>The audit log, newest first, a page at a time, filtered by who, what, outcome, target and time.</summary>
public sealed class OpsAuditFunctions(AuditReader reader)
{
    /// <summary>At most this many values in one list filter, each at most <see cref="MaxValueLength"/> characters.</summary>
    private const int MaxValues = 20;

    private const int MaxValueLength = 200;

    /// <summary>
    /// <c>actor</c>, <c>action</c>, <c>outcome</c>: any of these (repeated or comma-separated); <c>target</c>: starting so;
    /// <c>from</c> (or <c>since</c>), <c>to</c>: RFC 3339; <c>limit</c>: entries per page (default 200, up to 1000);
    /// <c>continuationToken</c>: the previous page's.
    /// </summary>
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
        + "`reconsolidate`.", Type = ApiType.StringList)]
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
    public async Task<IActionResult> ListAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/audit")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sets = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var name in new[] { "actor", "action", "outcome" })
        {
            var values = request.Query[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            if (values.Count > MaxValues || values.Any(v => v.Length > MaxValueLength))
            {
                return Bad(name, "Too many values", string.Create(CultureInfo.InvariantCulture, $"Give at most {MaxValues} values of at most {MaxValueLength} characters."));
            }

            sets[name] = values.ToHashSet(StringComparer.OrdinalIgnoreCase);
        }

        var target = request.Query["target"].FirstOrDefault();
        if (target is { Length: > MaxValueLength })
        {
            return Bad("target", "Target too long", string.Create(CultureInfo.InvariantCulture, $"Give at most {MaxValueLength} characters."));
        }

        var (fromName, fromText) = request.Query["from"].FirstOrDefault() is { Length: > 0 } given ? ("from", given) : ("since", request.Query["since"].FirstOrDefault());
        if (!OpsInstances.TryParseTime(fromText, out var from))
        {
            return Bad(fromName, "Invalid time", $"'{fromText}' is not a date-time; use RFC 3339, e.g. 2025-01-31T00:00:00Z.");
        }

        var toText = request.Query["to"].FirstOrDefault();
        if (!OpsInstances.TryParseTime(toText, out var to))
        {
            return Bad("to", "Invalid time", $"'{toText}' is not a date-time; use RFC 3339, e.g. 2025-01-31T00:00:00Z.");
        }

        var limit = AuditReader.DefaultLimit;
        if (request.Query["limit"].FirstOrDefault() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > AuditReader.MaxLimit))
        {
            return Bad("limit", "Invalid limit", string.Create(CultureInfo.InvariantCulture, $"'{text}' is not a limit; use 1 to {AuditReader.MaxLimit}."));
        }

        AuditPosition? after = null;
        if (request.Query["continuationToken"].FirstOrDefault() is { Length: > 0 } token && !AuditPosition.TryParse(token, out after))
        {
            return Bad("continuationToken", "Invalid continuation token", "Pass back the continuationToken of the previous page as it was given.");
        }

        var filter = new AuditFilter(sets["actor"], sets["action"], sets["outcome"], target is { Length: > 0 } ? target : null, from, to);
        return new OkObjectResult(await reader.ReadAsync(filter, limit, after, cancellationToken).ConfigureAwait(false));
    }

    private static IActionResult Bad(string parameter, string title, string detail) => OpsAnswer.BadParameter(parameter, title, detail).ToActionResult();
}
