using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.Receipts;

/// <summary>
/// Signed receipts as a department meets them: a push answers with a receipt, the hub publishes its keys, and the
/// built <c>hub receipt verify</c> checks the receipt offline against a saved copy of those keys, and the feed file
/// against the receipt. The expected claims come from the push itself (the bytes sent, the clock around the call).
/// </summary>
public sealed class ReceiptEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("receipts-").FullName;

    private HubApi Api => hub.Api;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Push_NewFeed_AnswersWithAReceiptThatVerifiesOfflineAgainstTheHubsKeys()
    {
        var feed = SampleFeed.Load("transport-2025-03-r0.json");
        var before = DateTimeOffset.UtcNow;
        var pushed = await Api.PushAsync(feed.Source, feed.Bytes);
        var after = DateTimeOffset.UtcNow;
        Assert.True(pushed.Status == 202, pushed.ToString());
        var receipt = pushed.Json.Prop("receipt").GetString()!;

        // What the receipt says, read without the hub's code: the JWS payload is base64url JSON.
        var (header, claims) = Decode(receipt);
        Assert.Equal("ES256", header.Prop("alg").GetString());
        Assert.Equal("hub-receipt+jwt", header.Prop("typ").GetString());
        Assert.Equal(feed.FeedId, claims.Prop("feedId").GetString());
        Assert.Equal("transport", claims.Prop("source").GetString());
        Assert.Equal("2025-03", claims.Prop("period").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(feed.Bytes)), claims.Prop("sha256").GetString());
        Assert.Equal(feed.Bytes.Length, claims.Prop("size").GetInt64());
        Assert.Equal("accepted", claims.Prop("verdict").GetString());
        var receivedAt = DateTimeOffset.Parse(claims.Prop("receivedAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(receivedAt, before.AddSeconds(-1), after.AddSeconds(1));

        // The key set the hub publishes names the receipt's key; saved once, it is all a department needs later.
        var keys = await Api.GetAsync("/api/receipts/keys");
        Assert.Equal(200, keys.Status);
        Assert.Equal("application/jwk-set+json", keys.MediaType);
        var jwk = Assert.Single(keys.Json.Prop("keys").EnumerateArray());
        Assert.Equal(header.Prop("kid").GetString(), jwk.Prop("kid").GetString());
        Assert.Equal("EC", jwk.Prop("kty").GetString());
        Assert.Equal("P-256", jwk.Prop("crv").GetString());
        var jwks = Save("jwks.json", Encoding.UTF8.GetBytes(keys.Body));
        var feedFile = Save("transport-2025-03-r0.json", feed.Bytes);
        var receiptFile = Save("answer.json", Encoding.UTF8.GetBytes(pushed.Body));

        var verified = await HubTool.RunAsync(null, ["receipt", "verify", receipt, "--feed", feedFile, "--keys", jwks]);

        Assert.True(verified.Exit == 0, $"exit {verified.Exit}: {verified.Stdout}{verified.Stderr}");
        Assert.Contains($"feed       {feed.FeedId}", verified.Stdout, StringComparison.Ordinal);
        Assert.Contains("verdict    accepted", verified.Stdout, StringComparison.Ordinal);
        Assert.Contains("feed file matches", verified.Stdout, StringComparison.Ordinal);

        // The saved push answer itself is accepted as the receipt's container.
        var fromAnswer = await HubTool.RunAsync(null, ["receipt", "verify", receiptFile, "--keys", jwks]);
        Assert.True(fromAnswer.Exit == 0, $"exit {fromAnswer.Exit}: {fromAnswer.Stdout}{fromAnswer.Stderr}");
    }

    [Fact]
    public async Task Verify_AlteredReceiptOrOneByteOfTheFeedChanged_IsRefusedWithExit1()
    {
        var feed = SampleFeed.Load("power-grid-2025-04-r0.json");
        var pushed = await Api.PushAsync(feed.Source, feed.Bytes);
        Assert.True(pushed.Status == 202, pushed.ToString());
        var receipt = pushed.Json.Prop("receipt").GetString()!;
        var jwks = Save("jwks.json", Encoding.UTF8.GetBytes((await Api.GetAsync("/api/receipts/keys")).Body));

        // A payload that claims another verdict, re-encoded properly: only the signature can tell.
        var parts = receipt.Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"accepted\"", "\"quarantined\"", StringComparison.Ordinal);
        var altered = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
        var refused = await HubTool.RunAsync(null, ["receipt", "verify", altered, "--keys", jwks]);
        Assert.True(refused.Exit == 1, $"exit {refused.Exit}: {refused.Stdout}{refused.Stderr}");
        Assert.Contains("does NOT verify", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("receipt verified", refused.Stdout, StringComparison.Ordinal);

        // One byte of the feed changed (a digit of a figure): the receipt is good, the file is not what was received.
        var changed = (byte[])feed.Bytes.Clone();
        var digit = Array.FindLastIndex(changed, b => b is >= (byte)'1' and <= (byte)'8');
        changed[digit]++;
        var mismatch = await HubTool.RunAsync(null, ["receipt", "verify", receipt, "--feed", Save("changed.json", changed), "--keys", jwks]);
        Assert.True(mismatch.Exit == 1, $"exit {mismatch.Exit}: {mismatch.Stdout}{mismatch.Stderr}");
        Assert.Contains("feed file does NOT match", mismatch.Stderr, StringComparison.Ordinal);

        // A key set without the receipt's key (another hub's) verifies nothing.
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = other.ExportParameters(false).Q;
        var otherSet =
            $"{{\"keys\":[{{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"{Base64Url.EncodeToString(q.X)}\",\"y\":\"{Base64Url.EncodeToString(q.Y)}\","
            + "\"kid\":\"other\",\"alg\":\"ES256\",\"use\":\"sig\"}]}";
        var foreign = await HubTool.RunAsync(null, ["receipt", "verify", receipt, "--keys", Save("other.json", Encoding.UTF8.GetBytes(otherSet))]);
        Assert.True(foreign.Exit == 1, $"exit {foreign.Exit}: {foreign.Stdout}{foreign.Stderr}");
        Assert.Contains("not in the key set", foreign.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_SameBytesAgain_AnswersTheSameReceiptAndTheStatusRouteKeepsIt()
    {
        var feed = SampleFeed.Load("environment-2025-05-r0.json");
        var first = await Api.PushAsync(feed.Source, feed.Bytes);
        Assert.True(first.Status == 202, first.ToString());

        var again = await Api.PushAsync(feed.Source, feed.Bytes);

        Assert.True(again.Status == 200, again.ToString());
        Assert.Equal(first.Json.Prop("receipt").GetString(), again.Json.Prop("receipt").GetString());
        var status = await Api.FeedStatusAsync(feed.FeedId, Keys.Environment);
        Assert.Equal(first.Json.Prop("receipt").GetString(), status.Json.Prop("receipt").GetString());
    }

    [Fact]
    public async Task Push_InvalidFeed_TheProblemCarriesAQuarantinedReceiptThatVerifiesAgainstTheHub()
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Root, "local-dev", "sample-feeds", "invalid", "bad-produced-at.json"));
        using var document = JsonDocument.Parse(bytes);
        var source = document.RootElement.GetProperty("source").GetString()!;

        var pushed = await Api.PushAsync(source, bytes);

        Assert.True(pushed.Status == 400, pushed.ToString());
        var receipt = pushed.Json.Prop("receipt").GetString()!;
        var (_, claims) = Decode(receipt);
        Assert.Equal("quarantined", claims.Prop("verdict").GetString());
        Assert.Equal(pushed.Json.Prop("feedId").GetString(), claims.Prop("feedId").GetString());
        // The keys fetched once from the hub (--hub) verify it as well as a saved copy does.
        var verified = await HubTool.RunAsync(Api.Address, ["receipt", "verify", receipt, "--feed", Save("invalid.json", bytes)]);
        Assert.True(verified.Exit == 0, $"exit {verified.Exit}: {verified.Stdout}{verified.Stderr}");
        Assert.Contains("verdict    quarantined", verified.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_TheLocalKeyFileIsKept_SoAReceiptFromBeforeStillVerifiesAgainstTheNewKeySet()
    {
        var feed = SampleFeed.Load("statistics-2025-Q1-r0.json");
        var pushed = await Api.PushAsync(feed.Source, feed.Bytes);
        Assert.True(pushed.Status == 202, pushed.ToString());
        Assert.True(File.Exists(hub.ReceiptKeyFile), "The hub should have generated its key file on first start.");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(hub.ReceiptKeyFile));
        }

        await hub.StopHubAsync();
        await hub.StartHubAsync();

        var verified = await HubTool.RunAsync(Api.Address, ["receipt", "verify", pushed.Json.Prop("receipt").GetString()!]);
        Assert.True(verified.Exit == 0, $"exit {verified.Exit}: {verified.Stdout}{verified.Stderr}");
    }

    private string Save(string name, byte[] bytes)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static (JsonElement Header, JsonElement Claims) Decode(string compact)
    {
        var parts = compact.Split('.');
        Assert.Equal(3, parts.Length);
        return (JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement.Clone(),
            JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.Clone());
    }
}
