using System.Globalization;
using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.Ops;

/// <summary>The ops audit log, newest first.</summary>
public sealed class OpsAuditFunctions(AuditLog audit)
{
    /// <summary><c>since</c>: entries at or after (ISO 8601); <c>limit</c>: at most this many (default 200, up to 1000).</summary>
    [Function(nameof(ListAudit))]
    [Access(AccessPolicy.Ops)]
    public async Task<IActionResult> ListAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/audit")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var since = request.Query["since"].FirstOrDefault();
        if (!OpsInstances.TryParseTime(since, out var from))
        {
            return OpsAnswer.BadParameter("since", "Invalid time", $"'{since}' is not a date-time; use RFC 3339, e.g. 2025-01-31T00:00:00Z.").ToActionResult();
        }

        var limit = AuditLog.DefaultLimit;
        if (request.Query["limit"].FirstOrDefault() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > AuditLog.MaxLimit))
        {
            return OpsAnswer.BadParameter("limit", "Invalid limit", string.Create(CultureInfo.InvariantCulture, $"'{text}' is not a limit; use 1 to {AuditLog.MaxLimit}.")).ToActionResult();
        }

        return new OkObjectResult(new AuditLogPage(await audit.ReadAsync(from, limit, cancellationToken).ConfigureAwait(false)));
    }
}
