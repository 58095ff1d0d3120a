using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using IntegrationHub.Core.Receipts;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Cli;

// hub receipt verify: checks a receipt the hub signed, offline, against the hub's JWK set, and optionally that a feed
// file is the very bytes it names. The signature is checked by a JOSE library, not by the hub's own code.
internal static class ReceiptCommand
{
    public static Command Create()
    {
        var receipt = new Argument<string>("receipt")
        {
            Description = "The receipt: the compact JWS itself, a file holding it, or a saved push answer or feed status (JSON with a "
                + "`receipt` field); `-` reads standard input.",
        };
        var feed = new Option<FileInfo?>("--feed") { Description = "The feed file the receipt is for: its SHA-256 and size must be the receipt's." };
        var keys = new Option<FileInfo?>("--keys") { Description = "A JWK set file to verify with (a saved GET /api/receipts/keys): nothing is fetched." };
        var hub = new Option<string?>("--hub")
        {
            Description = $"Fetch the JWK set once from this hub (default, when --keys is not given: ${HubClient.UrlVariable}, else {HubClient.DefaultUrl}).",
        };
        var timeout = HubClient.TimeoutOption();
        var verify = new Command(
            "verify",
            "Verify a receipt's signature with the hub's keys and, with --feed, that the file is the bytes it names. Exit 0 verified, "
            + "1 it does not verify (altered, another key, not a receipt, or other bytes than the feed file's), 2 it could not be checked "
            + "(unreadable file or key set, no answer from the hub).")
        {
            receipt,
            feed,
            keys,
            hub,
            timeout,
        };
        verify.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(receipt)!, result.GetValue(feed), result.GetValue(keys), result.GetValue(hub),
                result.GetValue(timeout), Console.Out, Console.Error, cancellationToken));
        return new Command("receipt", "Signed receipts of pushed feeds: proof of what the hub received, and when.") { verify };
    }

    internal static async Task<int> RunAsync(
        string receiptArgument, FileInfo? feed, FileInfo? keysFile, string? hubText, int timeoutSeconds,
            TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (keysFile is not null && hubText is not null)
        {
            await error.WriteLineAsync("Give --keys or --hub, not both.").ConfigureAwait(false);
            return ExitCodes.Unusable;
        }

        var receipt = await ReadReceiptAsync(receiptArgument, error).ConfigureAwait(false);
        if (receipt is null)
        {
            return ExitCodes.Unusable;
        }

        byte[]? feedBytes = null;
        if (feed is not null)
        {
            if (!feed.Exists)
            {
                await error.WriteLineAsync($"Cannot read the feed {feed.FullName}: not found.").ConfigureAwait(false);
                return ExitCodes.Unusable;
            }

            feedBytes = await File.ReadAllBytesAsync(feed.FullName, cancellationToken).ConfigureAwait(false);
        }

        string jwks;
        if (keysFile is not null)
        {
            if (!keysFile.Exists)
            {
                await error.WriteLineAsync($"Cannot read the key set {keysFile.FullName}: not found.").ConfigureAwait(false);
                return ExitCodes.Unusable;
            }

            jwks = await File.ReadAllTextAsync(keysFile.FullName, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var fetched = await FetchKeysAsync(hubText, timeoutSeconds, error, cancellationToken).ConfigureAwait(false);
            if (fetched is null)
            {
                return ExitCodes.Unusable;
            }

            jwks = fetched;
        }

        var verdict = await VerifyAsync(receipt, jwks, feedBytes).ConfigureAwait(false);
        if (verdict.Exit != ExitCodes.Ok)
        {
            await error.WriteLineAsync(verdict.Message).ConfigureAwait(false);
            return verdict.Exit;
        }

        var claims = verdict.Claims!;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
            receipt verified: signed by {claims.Issuer} with key {verdict.Kid}
              feed       {claims.FeedId}
              source     {claims.Source}{(claims.Period is null ? "" : ", period " + claims.Period)}
              sha256     {claims.Sha256}
              size       {claims.Size} bytes
              received   {claims.ReceivedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} (the hub's clock)
              verdict    {claims.Verdict}
            """)).ConfigureAwait(false);
        if (feed is not null)
        {
            await output.WriteLineAsync($"feed file matches: {feed.Name} is the bytes the receipt names").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    // What checking a receipt found: exit 0 with its claims, 1 when it does not verify, 2 when the key set is unusable.
    internal sealed record Verdict(int Exit, string Message, ReceiptClaims? Claims = null, string? Kid = null);

    // Checks receipt against the JWK set jwks and, when given, the feed's bytes.
    internal static async Task<Verdict> VerifyAsync(string receipt, string jwks, byte[]? feed)
    {
        IList<SecurityKey> keys;
        try
        {
            keys = new JsonWebKeySet(jwks).GetSigningKeys();
        }
        catch (ArgumentException ex)
        {
            return new Verdict(ExitCodes.Unusable, $"The key set is not a JWK set: {ex.Message}");
        }

        if (keys.Count == 0)
        {
            return new Verdict(ExitCodes.Unusable, "The key set holds no usable signing key.");
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(receipt, new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidAlgorithms = [Jws.ES256],
            ValidTypes = [ReceiptClaims.MediaType],
            // A receipt is proof of a past delivery: it names no audience and never expires; who signed it is the key.
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            TryAllIssuerSigningKeys = false,
        }).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return new Verdict(ExitCodes.Invalid, "receipt does NOT verify: " + Why(result.Exception, receipt));
        }

        var token = (JsonWebToken)result.SecurityToken;
        var claims = Jws.ReadUnverified(receipt);
        if (claims is null || claims.Sha256 is null || claims.FeedId is null)
        {
            return new Verdict(ExitCodes.Invalid, "receipt does NOT verify: it is signed, but its payload is not a hub receipt.");
        }

        if (feed is not null)
        {
            var sha256 = System.Convert.ToHexStringLower(SHA256.HashData(feed));
            if (!string.Equals(sha256, claims.Sha256, StringComparison.OrdinalIgnoreCase) || feed.LongLength != claims.Size)
            {
                return new Verdict(ExitCodes.Invalid, string.Create(CultureInfo.InvariantCulture,
                    $"feed file does NOT match: its SHA-256 is {sha256} ({feed.LongLength} bytes), the receipt's {claims.Sha256} ({claims.Size} bytes). "
                    + $"The signature is good, but these are not the bytes the hub received for {claims.FeedId}."));
            }
        }

        return new Verdict(ExitCodes.Ok, "verified", claims, token.Kid);
    }

    private static string Why(Exception? exception, string receipt) => exception switch
    {
        SecurityTokenSignatureKeyNotFoundException =>
            $"it is signed with a key ({KidOf(receipt)}) that is not in the key set: another hub's, or a key set too old.",
        SecurityTokenInvalidSignatureException => "the signature does not match its content: the receipt was altered, or it is not this hub's.",
        SecurityTokenInvalidTypeException => $"it is not a hub receipt (its `typ` is not {ReceiptClaims.MediaType}).",
        SecurityTokenInvalidAlgorithmException => $"it is not signed with {Jws.ES256}.",
        SecurityTokenMalformedException or ArgumentException => "it is not a compact JWS (three base64url parts with a JSON header and payload).",
        null => "no reason given.",
        _ => exception.Message,
    };

    private static string KidOf(string receipt)
    {
        try
        {
            return new JsonWebToken(receipt).Kid ?? "no kid";
        }
        catch (ArgumentException)
        {
            return "unreadable kid";
        }
    }

    // The compact JWS out of the argument: the text itself, a file, standard input, or a JSON answer's receipt.
    private static async Task<string?> ReadReceiptAsync(string argument, TextWriter error)
    {
        string text;
        try
        {
            text = argument == "-" ? await Console.In.ReadToEndAsync().ConfigureAwait(false)
                : File.Exists(argument) ? await File.ReadAllTextAsync(argument).ConfigureAwait(false)
                : argument;
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"Cannot read the receipt {argument}: {ex.Message}").ConfigureAwait(false);
            return null;
        }

        text = text.Trim();
        if (!text.StartsWith('{'))
        {
            return text;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.TryGetProperty("receipt", out var receipt) && receipt.ValueKind == JsonValueKind.String)
            {
                return receipt.GetString();
            }
        }
        catch (JsonException)
        {
        }

        await error.WriteLineAsync("The JSON given has no `receipt` field (a push answer or a feed status holds one).").ConfigureAwait(false);
        return null;
    }

    private static async Task<string?> FetchKeysAsync(string? hubText, int timeoutSeconds, TextWriter error, CancellationToken cancellationToken)
    {
        hubText ??= Environment.GetEnvironmentVariable(HubClient.UrlVariable) is { Length: > 0 } url ? url : HubClient.DefaultUrl;
        if (await HubClient.ReadTargetAsync(hubText, timeoutSeconds, error).ConfigureAwait(false) is not { } hub)
        {
            return null;
        }

        try
        {
            var answer = await HubClient.SendAsync(HttpMethod.Get, hub!, "receipts/keys", key: null,
                TimeSpan.FromSeconds(timeoutSeconds), null, cancellationToken).ConfigureAwait(false);
            if (answer.IsSuccess)
            {
                return answer.Body;
            }

            await error.WriteAsync("Could not fetch the hub's keys: ").ConfigureAwait(false);
            HubClient.WriteProblem(error, answer);
            return null;
        }
        catch (HubUnreachableException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return null;
        }
    }
}
