using IntegrationHub.Functions.Intake;

namespace IntegrationHub.Functions.Ops;

/// <summary>Who performed an ops action, as the audit log records it: the ops principal and which of its two keys was used.</summary>
public sealed record OpsActor(string Principal, string KeySlot)
{
    public static readonly OpsActor Unknown = new(AccessOptions.OpsPrincipal, "unknown");

    /// <summary>The actor an admitted ops caller is.</summary>
    public static OpsActor Of(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new(caller.Principal, caller.KeySlot);
    }
}
