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
    [ApiOperation(
        ApiTags.Feeds,
        "The keys receipts are signed with",
        "The public keys (JWK set) that verify the `receipt` of a push: every key version that may "
        + "have signed one, each with the `kid` a receipt's header names. Keep a copy to verify "
        + "receipts offline (`hub receipt verify`).")]
    [ApiAnswer(200, "The JWK set (`Cache-Control: public, max-age=300`).", Body = typeof(Core.Receipts.JwkSet), MediaType = ApiMediaTypes.JwkSet)]
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
