using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Cli.Tests.Support;
using IntegrationHub.Core.Receipts;

namespace IntegrationHub.Cli.Tests;

/// <summary>
/// <c>hub receipt verify</c> as a department runs it, on receipts signed here with a key of the test's own: what it
/// accepts, what it refuses (exit 1) and what it cannot check (exit 2). The hub's own receipts are verified end to end
/// in the local host's <c>ReceiptEndToEndTests</c>.
/// </summary>
public sealed class ReceiptCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("receipt-verify-").FullName;
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] feed = Encoding.UTF8.GetBytes("{\"source\":\"transport\",\"period\":\"2025-09\"}");

    public void Dispose()
    {
        key.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private static (int ExitCode, string Stdout, string Stderr) Hub(params string[] args) => Processes.Hub(args);

    [Fact]
    public void Verify_ReceiptOfTheKeyInTheSetAndItsFeed_Exit0AndSaysWhatTheHubReceived()
    {
        var (exit, stdout, stderr) = Hub("receipt", "verify", Sign(Claims()), "--feed", Save("feed.json", feed), "--keys", KeySet());

        Assert.True(exit == 0, stderr);
        Assert.Contains("receipt verified: signed by https://hub.example with key test-key", stdout, StringComparison.Ordinal);
        Assert.Contains("received   2026-12-07T03:04:05.678Z (the hub's clock)", stdout, StringComparison.Ordinal);
        Assert.Contains($"size       {feed.Length} bytes", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignedTokenThatIsNotAHubReceipt_Exit1()
    {
        // A valid ES256 signature by the right key, but typ JWT: another kind of token must not pass for a receipt.
        var header = Base64Url.EncodeToString("{\"alg\":\"ES256\",\"kid\":\"test-key\",\"typ\":\"JWT\"}"u8);
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(Claims())));
        var input = header + "." + payload;
        var token =
            Jws.Compose(input, key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        var (exit, _, stderr) = Hub("receipt", "verify", token, "--keys", KeySet());

        Assert.Equal(1, exit);
        Assert.Contains("not a hub receipt", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NotAJwsAtAll_Exit1()
    {
        var (exit, _, stderr) = Hub("receipt", "verify", "not-a-receipt", "--keys", KeySet());

        Assert.Equal(1, exit);
        Assert.Contains("not a compact JWS", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WhatCannotBeChecked_Exit2WithTheReason()
    {
        var receipt = Sign(Claims());

        var both = Hub("receipt", "verify", receipt, "--keys", KeySet(), "--hub", "http://localhost:7071");
        var noKeySet = Hub("receipt", "verify", receipt, "--keys", Path.Combine(folder, "missing.json"));
        var notAKeySet = Hub("receipt", "verify", receipt, "--keys", Save("bad.json", "[1,2"u8.ToArray()));
        var noReceiptField = Hub("receipt", "verify", Save("answer.json", "{\"feedId\":\"x\"}"u8.ToArray()), "--keys", KeySet());

        Assert.Equal((2, "Give --keys or --hub, not both."), (both.ExitCode, both.Stderr.Trim()));
        Assert.Equal(2, noKeySet.ExitCode);
        Assert.Contains("missing.json: not found", noKeySet.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, notAKeySet.ExitCode);
        Assert.Contains("not a JWK set", notAKeySet.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, noReceiptField.ExitCode);
        Assert.Contains("no `receipt` field", noReceiptField.Stderr, StringComparison.Ordinal);
    }

    private ReceiptClaims Claims() => new(
        "https://hub.example", 1796612645, "transport-2025-09-r0-0123456789abcdef", "transport", "2025-09",
        System.Convert.ToHexStringLower(SHA256.HashData(feed)), feed.Length, new DateTimeOffset(2026, 12, 7, 3, 4, 5, 678, TimeSpan.Zero),
        ReceiptClaims.Accepted);

    private string Sign(ReceiptClaims claims)
    {
        var input = Jws.SigningInput("test-key", claims);
        return Jws.Compose(input, key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    private string KeySet()
    {
        var jwk = EcPublicJwk.From(key.ExportParameters(false), "test-key");
        return Save("keys.json", Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new JwkSet([jwk]))));
    }

    private string Save(string name, byte[] bytes)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
