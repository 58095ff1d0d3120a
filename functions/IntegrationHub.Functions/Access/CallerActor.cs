using IntegrationHub.Functions.Audit;

namespace IntegrationHub.Functions.Access;

// The audit log's actor for a caller: here, not in Audit/, because the audit log knows nothing of keys or sign-in.
public static class CallerActor
{
    private static readonly OpsActor UnknownOps = new(AccessOptions.OpsPrincipal, "unknown");

    extension(OpsActor)
    {
        public static OpsActor Unknown => UnknownOps;

        /// <summary>The actor an admitted ops caller is.</summary>
        public static OpsActor Of(Caller caller)
        {
            ArgumentNullException.ThrowIfNull(caller);
            return new(caller.Principal, caller.KeySlot, caller.Name);
        }
    }
}
