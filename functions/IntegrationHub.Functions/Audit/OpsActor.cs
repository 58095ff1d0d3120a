
namespace IntegrationHub.Functions.Audit;

/// <summary>
/// Who performed an ops action, as the audit log records it: the ops principal and which of its two keys was used, or
/// a person signed in with Entra ID (their object id, <c>entra-id</c>, and their name).
/// </summary>
public sealed record OpsActor(string Principal, string KeySlot, string? Name = null)
{
    /// <summary>How a record names the actor to a reader: the name when there is one, with the principal.</summary>
    public string Display => Name is { Length: > 0 } name ? $"{name} ({Principal})" : Principal;
}
