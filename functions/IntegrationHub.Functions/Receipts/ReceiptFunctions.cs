using IntegrationHub.Core;
using IntegrationHub.Core.Receipts;
using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.Receipts;

/// <summary><c>GET /api/receipts/keys</c>: the public keys a department verifies receipts with, as a JWK set.</summary>
public sealed class ReceiptFunctions(ReceiptIssuer issuer)
{
    [Function(nameof(GetReceiptKeys))]
    [Access(AccessPolicy.Anonymous)]
    public async Task<IActionResult> GetReceiptKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "receipts/keys")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keys = await issuer.KeysAsync(cancellationToken).ConfigureAwait(false);
        // Public keys; a new version appears here as soon as it signs, so a verifier may keep the set for minutes, not days.
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        return new ContentResult
        {
            StatusCode = StatusCodes.Status200OK,
            ContentType = JwkSet.MediaType,
            Content = System.Text.Json.JsonSerializer.Serialize(keys, HubJson.Options),
        };
    }
}
