using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Keys;
using Azure.Security.KeyVault.Keys.Cryptography;
using IntegrationHub.Functions.Receipts;
using IntegrationHub.Functions.Resilience;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Integration.Tests.Receipts;

/// <summary>
/// Receipts signed in Key Vault, through the real SDK's seams (KeyClient and CryptographyClient are built to be
/// overridden): the vault computes the signature over exactly the JWS signing input, the kid is the signing version's
/// id, and the key set lists every enabled version. The signature is checked here with the public key alone.
/// </summary>
public sealed class KeyVaultReceiptKeyTests : IDisposable
{
    private const string KeyName = "receipt-signing";
    private static readonly Uri Vault = new("https://kv-hub-test-abcde.vault.azure.net/");

    private readonly FakeVault vault = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => vault.Dispose();

    private ReceiptIssuer Issuer() => new(
        new KeyVaultReceiptKey(vault.Keys, KeyName, id => vault.Signer(id), clock),
        Options.Create(new ReceiptOptions { Issuer = "https://func-hub-prod-abcde.azurewebsites.net" }));

    [Fact]
    public async Task Issue_WithAVaultKey_TheVaultSignsTheSigningInputWithES256AndThePublishedKeyVerifiesIt()
    {
        vault.Add("v1");
        vault.Add("v0", enabled: false);
        vault.Add("v2");
        var issuer = Issuer();

        var receipt = await issuer.IssueAsync("transport-2025-09-r1-0123456789abcdef", "transport", "2025-09", new string('a', 64), 2048,
            new DateTimeOffset(2026, 12, 7, 9, 0, 1, 250, TimeSpan.Zero), "accepted", CancellationToken.None);

        var parts = receipt.Split('.');
        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal($"{Vault}keys/{KeyName}/v2", header.RootElement.GetProperty("kid").GetString());
        Assert.Equal("ES256", header.RootElement.GetProperty("alg").GetString());

        // One call to the vault, ES256, over the ASCII of header.payload: what RFC 7515 signs.
        var call = Assert.Single(vault.SignCalls);
        Assert.Equal(SignatureAlgorithm.ES256, call.Algorithm);
        Assert.Equal(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), call.Data);

        var keys = await issuer.KeysAsync(CancellationToken.None);
        Assert.Equal([$"{Vault}keys/{KeyName}/v1", $"{Vault}keys/{KeyName}/v2"], keys.Keys.Select(k => k.Kid));
        var jwk = keys.Keys.Single(k => k.Kid.EndsWith("/v2", StringComparison.Ordinal));
        using var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk.X), Y = Base64Url.DecodeFromChars(jwk.Y) },
        });
        Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256));
    }

    [Fact]
    public async Task Issue_AfterARotation_TheNewVersionSignsOnceTheCacheExpiresAndTheKeySetListsItFromThen()
    {
        vault.Add("v1");
        var issuer = Issuer();
        Assert.Equal(["v1"], (await issuer.KeysAsync(CancellationToken.None)).Keys.Select(k => k.Kid[(k.Kid.LastIndexOf('/') + 1)..]));

        vault.Add("v2");
        clock.Advance(KeyVaultReceiptKey.Refresh + TimeSpan.FromSeconds(1));
        var receipt = await issuer.IssueAsync("statistics-2025-Q3-r0-0123456789abcdef", "statistics", "2025-Q3", new string('b', 64), 10,
            clock.GetUtcNow(), "accepted", CancellationToken.None);

        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(receipt.Split('.')[0]));
        Assert.Equal($"{Vault}keys/{KeyName}/v2", header.RootElement.GetProperty("kid").GetString());
        Assert.Equal(["v1", "v2"], (await issuer.KeysAsync(CancellationToken.None)).Keys.Select(k => k.Kid[(k.Kid.LastIndexOf('/') + 1)..]));
    }

    [Fact]
    public async Task Issue_VaultUnavailable_IsAnOutageOfTheReceiptKeyAnswered503NotABug()
    {
        vault.Add("v1");
        vault.SignFailure = new RequestFailedException(503, "Service Unavailable");

        var thrown = await Assert.ThrowsAsync<DependencyUnavailableException>(() => Issuer().IssueAsync(
            "environment-2025-08-r0-0123456789abcdef", "environment", "2025-08", new string('c', 64), 10, clock.GetUtcNow(), "accepted",
            CancellationToken.None));

        Assert.Equal("receipt-key", thrown.Dependency);
        Assert.Equal("receipt-key", DependencyOutage.Of(thrown, CancellationToken.None)?.Dependency);
    }

    [Fact]
    public async Task Keys_VaultRefusesTheListing_IsAnOutageOfTheReceiptKeyToo()
    {
        vault.Add("v1");
        vault.ListFailure = new RequestFailedException(403, "Forbidden");

        var thrown = await Assert.ThrowsAsync<DependencyUnavailableException>(() => Issuer().KeysAsync(CancellationToken.None));

        Assert.Equal("receipt-key", thrown.Dependency);
    }

    /// <summary>A vault with one EC P-256 key of several versions: the last added is the current one.</summary>
    private sealed class FakeVault : IDisposable
    {
        private readonly List<(string Version, ECDsa Key, bool Enabled)> versions = [];

        public FakeVault() => Keys = new FakeKeyClient(this);

        public KeyClient Keys { get; }

        public List<(SignatureAlgorithm Algorithm, byte[] Data)> SignCalls { get; } = [];

        public Exception? SignFailure { get; set; }

        public Exception? ListFailure { get; set; }

        public void Add(string version, bool enabled = true) => versions.Add((version, ECDsa.Create(ECCurve.NamedCurves.nistP256), enabled));

        public CryptographyClient Signer(Uri kid) => new FakeSigner(this, kid);

        public void Dispose()
        {
            foreach (var (_, key, _) in versions)
            {
                key.Dispose();
            }
        }

        private KeyVaultKey Key(string? version)
        {
            var (name, key, enabled) = version is null ? versions.Last(v => v.Enabled) : versions.Single(v => v.Version == version);
            var properties = KeyModelFactory.KeyProperties(new Uri(Vault, $"keys/{KeyName}/{name}"), Vault, KeyName, name);
            properties.Enabled = enabled;
            return KeyModelFactory.KeyVaultKey(properties, new JsonWebKey(key, includePrivateParameters: false));
        }

        private sealed class FakeKeyClient(FakeVault vault) : KeyClient
        {
            public override Task<Response<KeyVaultKey>> GetKeyAsync(string name, string? version = null, CancellationToken cancellationToken = default)
            {
                Assert.Equal(KeyName, name);
                return Task.FromResult(Response.FromValue(vault.Key(version), new NoResponse()));
            }

            public override AsyncPageable<KeyProperties> GetPropertiesOfKeyVersionsAsync(string name, CancellationToken cancellationToken = default)
            {
                Assert.Equal(KeyName, name);
                if (vault.ListFailure is { } failure)
                {
                    throw failure;
                }

                var page = Page<KeyProperties>.FromValues(vault.versions.Select(v => vault.Key(v.Version).Properties).ToList(), null, new NoResponse());
                return AsyncPageable<KeyProperties>.FromPages([page]);
            }
        }

        private sealed class FakeSigner(FakeVault vault, Uri kid) : CryptographyClient
        {
            public override Task<SignResult> SignDataAsync(SignatureAlgorithm algorithm, byte[] data, CancellationToken cancellationToken = default)
            {
                vault.SignCalls.Add((algorithm, data));
                if (vault.SignFailure is { } failure)
                {
                    throw failure;
                }

                var version = kid.Segments[^1];
                var key = vault.versions.Single(v => v.Version == version).Key;
                // What Key Vault returns for ES256: r||s, the JWS form.
                var signature = key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                return Task.FromResult(CryptographyModelFactory.SignResult(kid.ToString(), signature, algorithm));
            }
        }
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset now = now;

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }

    /// <summary>The HTTP response a fake's result claims to come from: none.</summary>
    private sealed class NoResponse : Response
    {
        public override int Status => 200;

        public override string ReasonPhrase => "OK";

        public override Stream? ContentStream { get; set; }

        public override string ClientRequestId { get; set; } = "";

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
