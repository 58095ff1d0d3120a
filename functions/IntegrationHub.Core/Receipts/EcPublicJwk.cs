using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace IntegrationHub.Core.Receipts;

/// <summary>A P-256 public key as a JWK (RFC 7517), as the hub publishes its receipt keys in a JWK set.</summary>
public sealed record EcPublicJwk(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("crv")] string Crv,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("use")] string Use)
{
    /// <summary>The public half of a P-256 key; <paramref name="kid"/> null: its RFC 7638 thumbprint.</summary>
    public static EcPublicJwk From(ECParameters parameters, string? kid = null)
    {
        var x = Base64Url.EncodeToString(parameters.Q.X);
        var y = Base64Url.EncodeToString(parameters.Q.Y);
        return new EcPublicJwk("EC", "P-256", x, y, kid ?? Thumbprint(x, y), Jws.ES256, "sig");
    }

    /// <summary>
    /// RFC 7638: SHA-256 over the required members in lexicographic order without whitespace, base64url. Stable for a
    /// key, so a local key keeps its kid across restarts without storing one.
    /// </summary>
    public static string Thumbprint(string x, string y) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes($"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{x}\",\"y\":\"{y}\"}}")));
}

/// <summary>A JWK set (RFC 7517 §5): what <c>GET /api/receipts/keys</c> answers.</summary>
public sealed record JwkSet([property: JsonPropertyName("keys")] IReadOnlyList<EcPublicJwk> Keys)
{
    public const string MediaType = "application/jwk-set+json";
}
