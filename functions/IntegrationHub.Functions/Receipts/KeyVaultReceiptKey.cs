using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Keys;
using Azure.Security.KeyVault.Keys.Cryptography;
using IntegrationHub.Core.Receipts;
using IntegrationHub.Functions.Resilience;

namespace IntegrationHub.Functions.Receipts;

/// <summary>
/// A Key Vault key (EC P-256) signs receipts: the vault computes each signature, the private key never leaves it. The
/// current version signs and is the <c>kid</c> (its full versioned id); every enabled version is published, so a
/// receipt signed before a rotation still verifies. Both are read at most every <see cref="Refresh"/>.
/// </summary>
public sealed class KeyVaultReceiptKey(KeyClient keys, string keyName, Func<Uri, CryptographyClient> cryptography, TimeProvider clock) : IReceiptKey
{
    /// <summary>How long the current version and the published key set are kept before the vault is asked again.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, CryptographyClient> signers = new(StringComparer.Ordinal);

    // Replaced whole (a reference write), never changed in place: concurrent pushes read one or the other.
    private Cached<string>? current;
    private Cached<IReadOnlyList<EcPublicJwk>>? published;

    public async Task<string> CurrentKidAsync(CancellationToken cancellationToken)
    {
        if (current is { } known && known.Until > clock.GetUtcNow())
        {
            return known.Value;
        }

        var key = await CallAsync(() => keys.GetKeyAsync(keyName, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var kid = key.Value.Id.ToString();
        current = new Cached<string>(kid, clock.GetUtcNow() + Refresh);
        return kid;
    }

    public async Task<byte[]> SignAsync(string kid, byte[] signingInput, CancellationToken cancellationToken)
    {
        // Key Vault hashes the data here and signs the SHA-256 digest; ES256 comes back as r||s, JWS's own form.
        var signer = signers.GetOrAdd(kid, id => cryptography(new Uri(id)));
        var result = await CallAsync(() => signer.SignDataAsync(SignatureAlgorithm.ES256, signingInput, cancellationToken)).ConfigureAwait(false);
        return result.Signature;
    }

    public async Task<IReadOnlyList<EcPublicJwk>> PublicKeysAsync(CancellationToken cancellationToken)
    {
        var kid = await CurrentKidAsync(cancellationToken).ConfigureAwait(false);
        // A rotation seen by CurrentKidAsync must be in the set at once, or its first receipts would not verify.
        if (published is { } set && set.Until > clock.GetUtcNow() && set.Value.Any(k => k.Kid == kid))
        {
            return set.Value;
        }

        var list = await CallAsync(() => ListEnabledAsync(cancellationToken)).ConfigureAwait(false);
        published = new Cached<IReadOnlyList<EcPublicJwk>>(list, clock.GetUtcNow() + Refresh);
        return list;
    }

    private async Task<IReadOnlyList<EcPublicJwk>> ListEnabledAsync(CancellationToken cancellationToken)
    {
        var list = new List<EcPublicJwk>();
        await foreach (var version in keys.GetPropertiesOfKeyVersionsAsync(keyName, cancellationToken).ConfigureAwait(false))
        {
            if (version.Enabled != true)
            {
                continue;
            }

            var key = (await keys.GetKeyAsync(keyName, version.Version, cancellationToken).ConfigureAwait(false)).Value;
            if (key.Key.KeyType == KeyType.Ec && key.Key.CurveName == KeyCurveName.P256)
            {
                var point = new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = key.Key.X, Y = key.Key.Y } };
                list.Add(EcPublicJwk.From(point, key.Id.ToString()));
            }
        }

        list.Sort((a, b) => string.CompareOrdinal(a.Kid, b.Kid));
        return list;
    }

    // A vault that cannot be reached or refuses the app is an outage of a dependency, answered 503 (nothing is landed
    // before the receipt is signed, so sending again is safe), not a 500.
    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException or AuthenticationFailedException)
        {
            var status = ex is RequestFailedException failed ? $"answered {failed.Status} ({failed.ErrorCode ?? "no error code"})" : "refused the "
                + "app's identity";
            throw new DependencyUnavailableException(DependencyOutage.ReceiptKey, $"Key Vault {status} while signing a receipt", ex);
        }
    }

    private sealed record Cached<T>(T Value, DateTimeOffset Until);
}
