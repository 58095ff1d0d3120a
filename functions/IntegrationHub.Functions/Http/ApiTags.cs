namespace IntegrationHub.Functions.Http;

// The document's tags, in the order a reader meets them, and the route parameters every route means alike.
internal static class ApiTags
{
    public const string Feeds = "Feeds";
    public const string Pulls = "Pulls";
    public const string Datasets = "Data sets";
    public const string Schemas = "Schemas";
    public const string Ops = "Ops";
    public const string Pages = "Pages";
    public const string Host = "Host";

    public static IReadOnlyList<(string Name, string Description)> All { get; } =
    [
        (Feeds, "Departments push feeds and follow them; each department with its own key."),
        (Pulls, "Ops start a pull of one department period now (timers pull on their schedules)."),
        (Datasets, "Published data sets, read without a key: strong ETags, If-None-Match answered with 304."),
        (Schemas, "The JSON Schemas the hub validates with, read without a key; each schema's `$id` has the path of its route here."),
        (Ops, "Orchestrations, quarantine, subscribers' deliveries and the audit log, for the ops key only."),
        (Pages, "The ops console, the data-set dashboard and this API reference, served by the app itself."),
        (Host, "The liveness and readiness probes and this document."),
    ];

    // Route parameters that mean the same on every route, by name.
    public static IReadOnlyDictionary<string, string> CommonPathParameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["source"] = "The feed source: statistics, power-grid, transport or environment.",
        ["feedId"] = "A feed id, `{source}-{period}-r{revision}-{first 16 hex digits of the SHA-256 of its bytes}`.",
        ["period"] = "A data-set period: `YYYY` for a year, `YYYY-Qn` for a quarter.",
        ["n"] = "A version number, from 1.",
        ["instanceId"] = "An orchestration instance id: `feed:{source}:{period}:{hash16}`, `pull:{source}:{period}` or `consolidate:{period}`.",
        ["name"] = "The file name of a page asset.",
    };
}
