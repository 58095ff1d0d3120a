using IntegrationHub.Functions.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions.Ops;

/// <summary>Who performed an ops action, as the audit log records it: the ops principal and which of its two keys was used.</summary>
public sealed record OpsActor(string Principal, string KeySlot)
{
    public static readonly OpsActor Unknown = new(AccessOptions.OpsPrincipal, "unknown");
}

/// <summary>
/// The ops surface answers the ops key only. Ops functions go through <see cref="Access.AccessGate.AdmitOps"/>, which
/// adds the ops rate limit and the security headers; this is the key rule alone.
/// </summary>
internal static class OpsAccess
{
    /// <returns>The problem to answer with, or null when the caller holds the ops key.</returns>
    public static IActionResult? Deny(AccessOptions access, HttpRequest request) => Deny(access, request, out _);

    /// <returns>The problem to answer with, or null when the caller holds the ops key; then <paramref name="actor"/> says which one.</returns>
    public static IActionResult? Deny(AccessOptions access, HttpRequest request, out OpsActor actor)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(request);
        actor = OpsActor.Unknown;
        switch (access.Authenticate(request.Headers[PushFeedFunction.ApiKeyHeader]))
        {
            case null:
                return Problems.Create(StatusCodes.Status401Unauthorized, "Missing or unknown API key", $"Send the ops key in the '{PushFeedFunction.ApiKeyHeader}' header.");
            case { Principal: AccessOptions.OpsPrincipal } ops:
                // Key rotation shows in the audit log: which of the two ops keys did it.
                actor = new OpsActor(ops.Principal, ops.KeySlot);
                return null;
            default:
                return Problems.Create(StatusCodes.Status403Forbidden, "Ops only", "This key may not use the ops surface.");
        }
    }
}
