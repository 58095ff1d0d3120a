using System.Globalization;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Functions.Ops;

// GET /api/ops/audit's query, checked as the other ops routes check theirs, over the audit log's reader.
public static class AuditQuery
{
    private const int MaxValues = 20;
    private const int MaxValueLength = 200;

    /// <summary><c>GET /api/ops/audit</c>: its query checked, one page.</summary>
    public static async Task<OpsAnswer> ListAsync(this AuditReader reader, IQueryCollection query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(query);
        var sets = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var name in new[] { "actor", "action", "outcome" })
        {
            var values = OpsQuery.Split(query.Joined(name)).ToList();
            if (values.Count > MaxValues || values.Any(v => v.Length > MaxValueLength))
            {
                return OpsAnswer.BadParameter(name, "Too many values",
                    string.Create(CultureInfo.InvariantCulture, $"Give at most {MaxValues} values of at most {MaxValueLength} characters."));
            }

            sets[name] = values.ToHashSet(StringComparer.OrdinalIgnoreCase);
        }

        var target = query.First("target");
        if (target is { Length: > MaxValueLength })
        {
            return OpsAnswer.BadParameter("target", "Target too long",
                string.Create(CultureInfo.InvariantCulture, $"Give at most {MaxValueLength} characters."));
        }

        var read = new OpsQuery(query);
        var from = read.Time(query.First("from") is { Length: > 0 } ? "from" : "since");
        var to = read.Time("to");
        var limit = read.Count("limit", AuditReader.DefaultLimit, AuditReader.MaxLimit, "Invalid limit", "limit");
        if (read.Bad is { } bad)
        {
            return bad;
        }

        AuditPosition? after = null;
        if (query.First("continuationToken") is { Length: > 0 } token && !AuditPosition.TryParse(token, out after))
        {
            return OpsQuery.BadToken();
        }

        var filter = new AuditFilter(sets["actor"], sets["action"], sets["outcome"], target is { Length: > 0 } ? target : null, from, to);
        return OpsAnswer.Ok(await reader.ReadAsync(filter, limit, after, cancellationToken).ConfigureAwait(false));
    }
}
