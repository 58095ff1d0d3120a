namespace IntegrationHub.Functions.Durable;

/// <summary>
/// Deterministic orchestration instance ids. The same feed can never start a second run, and ops can filter by
/// prefix (the only instance query the Durable backends offer besides status and time) on kind, source and period.
/// </summary>
public static class InstanceIds
{
    public const string FeedPrefix = "feed:";
    public const string PullPrefix = "pull:";
    public const string ConsolidationPrefix = "consolidate:";

    /// <summary>One feed's processing: source, period and the first 16 hex digits of its SHA-256.</summary>
    public static string Feed(string source, string period, string contentHash) => $"{FeedPrefix}{source}:{period}:{contentHash[..16]}";

    /// <summary>One pull of a department's period; a later pull of the same period reuses the id once the earlier one finished.</summary>
    public static string Pull(string source, string period) => $"{PullPrefix}{source}:{period}";

    /// <summary>The one consolidation of a period that may run at a time.</summary>
    public static string Consolidation(string period) => $"{ConsolidationPrefix}{period}";

    /// <summary>Where ops follow an instance.</summary>
    public static string StatusUrl(string instanceId) => $"/api/ops/instances/{Uri.EscapeDataString(instanceId)}";
}
