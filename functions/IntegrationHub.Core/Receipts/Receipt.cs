using System.Text.Json.Serialization;

namespace IntegrationHub.Core.Receipts;

/// <summary>
/// What a receipt says, the payload of its compact JWS (RFC 7515): the hub (<c>iss</c>) received these exact bytes
/// (<c>sha256</c>) for this feed at this time, by its own clock, and gave them this verdict. <c>iat</c> is the same
/// instant in whole seconds, so JWT tooling reads it too; <see cref="ReceivedAt"/> keeps the milliseconds.
/// </summary>
public sealed record ReceiptClaims(
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("feedId")] string FeedId,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("period")] string? Period,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("receivedAt")] DateTimeOffset ReceivedAt,
    [property: JsonPropertyName("verdict")] string Verdict)
{
    /// <summary>The JWS <c>typ</c> of a receipt (explicit typing, RFC 8725 §3.11), so no other token passes for one.</summary>
    public const string MediaType = "hub-receipt+jwt";

    /// <summary>The bytes passed the hub's checks and are being processed.</summary>
    public const string Accepted = "accepted";

    /// <summary>The bytes were received and kept, but quarantined: the receipt proves delivery, not validity.</summary>
    public const string Quarantined = "quarantined";
}
