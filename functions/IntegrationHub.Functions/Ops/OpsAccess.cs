using IntegrationHub.Functions.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions.Ops;

/// <summary>The ops surface answers the ops key only.</summary>
internal static class OpsAccess
{
    /// <returns>The problem to answer with, or null when the caller holds the ops key.</returns>
    public static IActionResult? Deny(AccessOptions access, HttpRequest request) => access.Identify(request.Headers[PushFeedFunction.ApiKeyHeader]) switch
    {
        null => Problems.Create(StatusCodes.Status401Unauthorized, "Missing or unknown API key", $"Send the ops key in the '{PushFeedFunction.ApiKeyHeader}' header."),
        AccessOptions.OpsPrincipal => null,
        _ => Problems.Create(StatusCodes.Status403Forbidden, "Ops only", "This key may not use the ops surface."),
    };
}
