using System.Buffers.Text;
using System.Text.Json;

namespace IntegrationHub.Core.Receipts;

/// <summary>
/// The compact JWS serialisation (RFC 7515 §7.1) the hub signs receipts in: base64url(header) '.' base64url(payload)
/// '.' base64url(signature), the signature over the ASCII of the first two parts. Signing itself is the caller's
/// (a local key or Key Vault); verifying is left to a JOSE library on the reader's side.
/// </summary>
public static class Jws
{
    /// <summary>ECDSA P-256 with SHA-256, the signature as r||s (64 bytes), as RFC 7518 §3.4 requires.</summary>
    public const string ES256 = "ES256";

    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web);

    /// <summary>The signing input of <paramref name="claims"/> under the key <paramref name="kid"/>: what is signed.</summary>
    public static string SigningInput(string kid, ReceiptClaims claims)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = ES256, ["kid"] = kid, ["typ"] = ReceiptClaims.MediaType },
            Compact);
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims, Compact);
        return Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
    }

    /// <summary>The compact form: the signing input and the signature.</summary>
    public static string Compose(string signingInput, ReadOnlySpan<byte> signature) => signingInput + "." + Base64Url.EncodeToString(signature);

    /// <summary>The payload of a compact JWS, not verified: for showing what a receipt says, never for trusting it.</summary>
    public static ReceiptClaims? ReadUnverified(string compact)
    {
        ArgumentNullException.ThrowIfNull(compact);
        var parts = compact.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ReceiptClaims>(Base64Url.DecodeFromChars(parts[1]), Compact);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
