using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
namespace IntegrationHub.Functions.Audit;

/// <summary>One line of the audit log.</summary>
/// <param name="Actor">
/// The principal: <c>ops</c> (the key), a department (<c>transport</c>, …), <c>anonymous</c> for no key or a key that is
/// nobody's, or the Entra ID object id (<c>oid</c>) of a signed-in person. Never the key.
/// </param>
/// <param name="KeySlot">Which of its keys: <c>primary</c> or <c>secondary</c> (<c>none</c> for anonymous); <c>entra-id</c> for a signed-in person.</param>
/// <param name="Action"><c>push</c>; <c>read</c> (an ops GET: the target is its path and query); the ops actions
/// <c>pull</c>, <c>replay</c>, <c>rewind</c>, <c>terminate</c>, <c>suspend</c>, <c>resume</c>, <c>purge</c>,
/// <c>replay-failed</c>, <c>reprocess</c>.</param>
/// <param name="Target">The instance id or feed id acted on; for a push whose body was not read, <c>feeds/{source}</c>.</param>
/// <param name="Outcome">
/// Ops: <c>accepted</c>, <c>done</c>, <c>refused</c>, <c>not-found</c>, <c>not-supported</c>, <c>invalid</c>, <c>skipped</c> or <c>error</c>
/// (a pull also <c>started</c>, <c>running</c>, <c>not-configured</c>). Pushes: <c>accepted</c>, <c>duplicate</c>, <c>rejected</c>,
/// <c>refused</c> (401, 403), <c>not-found</c>, <c>too-large</c>, <c>unsupported-media-type</c>, <c>rate-limited</c> or <c>error</c>.
/// </param>
/// <param name="Status">The HTTP status answered (for one instance of a bulk replay, the status its own replay would have had).</param>
/// <param name="Name">A signed-in person's name (the token's <c>name</c> claim); null for keys.</param>
public sealed record AuditEntry(
    DateTimeOffset At,
    [property: Description("The principal: `ops`, a department, a signed-in person's object id, or `anonymous`. Never the key.")] string Actor,
    [property: AllowedValues("primary", "secondary", "entra-id", "none", "unknown"), Description("Which of its keys (`entra-id`: a person signed in).")]
    string KeySlot,
    [property: Description("`push`, `validate`, `read` (an ops read), or an ops action (`pull`, `replay`, `reprocess`, `redeliver`, …).")] string Action,
    [property: Description("The instance id or feed id acted on; `feeds/{source}` for a push whose body was not read.")] string Target,
    [property: Description("`accepted`, `done`, `refused`, `duplicate`, `rejected`, `error`, …")] string Outcome,
    [property: Description("The HTTP status answered.")] int Status,
    string? Detail,
    [property: Description("The signed-in person's name; null for a key.")] string? Name = null);

// Named AuditLog in the OpenAPI document (OpenApi/ApiSchemas): this folder sits below Http/ and its attributes.
[Description("Pushes and ops actions, newest first.")]
public sealed record AuditLogPage(
    IReadOnlyList<AuditEntry> Entries,
    [property: Description("Pass it back (with the same filters) for older entries; null once the oldest was read. A page may hold fewer "
        + "entries than `limit` when the filters matched little of what one answer reads (16 MiB of the log): go on with the token.")]
    string? ContinuationToken = null);
