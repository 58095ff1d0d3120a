namespace IntegrationHub.Functions.Storage;

/// <summary>The hub's blob containers, named once (infra/ creates the same names).</summary>
public static class HubContainers
{
    /// <summary>Raw bodies exactly as received, write-once, addressed by source and SHA-256 of the bytes.</summary>
    public const string Landing = "landing";

    public const string Normalized = "normalized";

    /// <summary>Rejected feeds' reports (the bytes stay in landing).</summary>
    public const string Quarantine = "quarantine";

    /// <summary>The period ledger: one document per calendar year listing its accepted feeds (see <c>PeriodLedger</c>).</summary>
    public const string Ledger = "ledger";

    /// <summary>Data-set versions, write-once, and each period's <c>latest</c> pointer.</summary>
    public const string Datasets = "datasets";

    /// <summary>The ops audit log: one append blob per month of JSON lines, only ever appended to.</summary>
    public const string Audit = "audit";

    /// <summary>Each department's pushed bytes per day (<c>{yyyy-MM-dd}/{source}.json</c>), for the daily quota.</summary>
    public const string Usage = "usage";

    /// <summary>What was sent to each subscriber and when (<c>SubscriberDeliveryLog</c>): one small blob per delivery.</summary>
    public const string Deliveries = "deliveries";

    /// <summary>Local webhook deliveries that failed every attempt (Event Grid dead-letters to a container the same way).</summary>
    public const string WebhookDeadLetters = "webhook-deadletters";

    public static readonly IReadOnlyList<string> All = [Landing, Normalized, Quarantine, Ledger, Datasets, Audit, Usage, Deliveries, WebhookDeadLetters];
}
