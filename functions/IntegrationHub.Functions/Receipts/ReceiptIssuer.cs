using System.Text;
using IntegrationHub.Core.Receipts;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Receipts;

/// <summary>Signs receipts as compact JWS (ES256) with the hub's key, and publishes the keys to verify them with.</summary>
public sealed class ReceiptIssuer(IReceiptKey key, IOptions<ReceiptOptions> options)
{
    /// <summary>The hub's identity in its receipts (<c>iss</c>).</summary>
    public string Issuer { get; } = options.Value.Issuer is { Length: > 0 } issuer ? issuer : ReceiptOptions.LocalIssuer;

    /// <summary>A signed receipt for bytes the hub received and judged.</summary>
    public async Task<string> IssueAsync(
        string feedId, string source, string? period, string sha256, long size, DateTimeOffset receivedAt, string verdict, CancellationToken cancellationToken)
    {
        // To the millisecond: what a reader can use, and the same text however fine the clock.
        var at = new DateTimeOffset(receivedAt.UtcTicks - (receivedAt.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        var claims = new ReceiptClaims(Issuer, at.ToUnixTimeSeconds(), feedId, source, period, sha256, size, at, verdict);
        var kid = await key.CurrentKidAsync(cancellationToken).ConfigureAwait(false);
        var input = Jws.SigningInput(kid, claims);
        var signature = await key.SignAsync(kid, Encoding.ASCII.GetBytes(input), cancellationToken).ConfigureAwait(false);
        return Jws.Compose(input, signature);
    }

    /// <summary>The JWK set of every key a receipt of this hub may carry.</summary>
    public async Task<JwkSet> KeysAsync(CancellationToken cancellationToken) => new(await key.PublicKeysAsync(cancellationToken).ConfigureAwait(false));
}
