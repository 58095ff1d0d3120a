using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Functions.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions.Ops;

/// <summary>Who performed an ops action, as the audit log records it: the ops principal and which of its two keys was used.</summary>
public sealed record OpsActor(string Principal, string KeySlot)
{
    public static readonly OpsActor Unknown = new(AccessOptions.OpsPrincipal, "unknown");
}

/// <summary>The ops surface answers the ops key only.</summary>
internal static class OpsAccess
{
    /// <returns>The problem to answer with, or null when the caller holds the ops key.</returns>
    public static IActionResult? Deny(AccessOptions access, HttpRequest request) => Deny(access, request, out _);

    /// <returns>The problem to answer with, or null when the caller holds the ops key; then <paramref name="actor"/> says which one.</returns>
    public static IActionResult? Deny(AccessOptions access, HttpRequest request, out OpsActor actor)
    {
        string? presented = request.Headers[PushFeedFunction.ApiKeyHeader];
        actor = OpsActor.Unknown;
        switch (access.Identify(presented))
        {
            case null:
                return Problems.Create(StatusCodes.Status401Unauthorized, "Missing or unknown API key", $"Send the ops key in the '{PushFeedFunction.ApiKeyHeader}' header.");
            case AccessOptions.OpsPrincipal:
                // Key rotation shows in the audit log: which of the two ops keys did it.
                actor = new OpsActor(AccessOptions.OpsPrincipal, SameKey(presented!, access.Ops.Primary) ? "primary" : SameKey(presented!, access.Ops.Secondary) ? "secondary" : "unknown");
                return null;
            default:
                return Problems.Create(StatusCodes.Status403Forbidden, "Ops only", "This key may not use the ops surface.");
        }
    }

    private static bool SameKey(string presented, string? expected) =>
        !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
