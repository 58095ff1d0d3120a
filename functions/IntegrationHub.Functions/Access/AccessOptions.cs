using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Access;

/// <summary>
/// A credential pair: two keys are valid at once so a key can be rotated without downtime. Each holds the key itself
/// (local development) or <c>sha256:</c> and the 64 hex digits of the SHA-256 of its UTF-8 bytes, so that whoever
/// reads the settings or the vault learns nothing a caller could present.
/// </summary>
public class KeyPair
{
    public string? Primary { get; set; }

    public string? Secondary { get; set; }
}

/// <summary>
/// The ops key pair, and the networks the ops surface answers (<c>Access__Ops__AllowedNetworks</c>,
/// <see cref="OpsNetworks"/>).
/// </summary>
public sealed class OpsAccessOptions : KeyPair
{
    /// <summary>CIDR ranges or addresses, comma-separated; empty: every network (local development, dev).</summary>
    public string? AllowedNetworks { get; set; }
}

/// <summary>How many requests one principal may make (settings <c>Access__RateLimit__*</c>); each principal has its own budget.</summary>
public sealed class AccessRateLimitOptions
{
    /// <summary>Pushes per department per minute, refilled evenly (one every 0.5 s at 120).</summary>
    [Range(1, 1_000_000)]
    public int PushPermitsPerMinute { get; set; } = 120;

    /// <summary>
    /// Pushes a department may send at once before the even rate applies (the bucket's size; a minute's permits when
    /// that is fewer). Small, so that a burst cannot queue minutes of validation work at once.
    /// </summary>
    [Range(1, 1_000_000)]
    public int PushBurst { get; set; } = 8;

    /// <summary>Pushes of one department being read and validated at the same time, per instance; one more is a 429.</summary>
    [Range(1, 1000)]
    public int MaxConcurrentPushes { get; set; } = 2;

    /// <summary>Calls of the ops key per minute on the ops routes and <c>POST /api/pulls</c>; the console polls, so this is higher.</summary>
    [Range(1, 1_000_000)]
    public int OpsPermitsPerMinute { get; set; } = 1200;
}

/// <summary>How much one department may store a day (settings <c>Access__Quota__*</c>), counted across instances.</summary>
public sealed class AccessQuotaOptions
{
    /// <summary>The default: 256 MiB, 32 bodies at the default intake limit (8 MiB), far above a department's few feeds a day.</summary>
    public const long DefaultDailyPushBytes = 256L * 1024 * 1024;

    /// <summary>
    /// Bytes of pushed bodies one department may have stored per UTC day (the hub's clock); once reached, pushes answer
    /// 429 until the next day. The push that reaches it is stored whole.
    /// </summary>
    [Range(1024L, 1L << 40)]
    public long DailyPushBytes { get; set; } = DefaultDailyPushBytes;
}

/// <summary>
/// Who presented a key, and which of the principal's two keys it was (<c>primary</c> or <c>secondary</c>); for a person
/// signed in with Entra ID, their object id, <c>entra-id</c> and their <paramref name="Name"/>.
/// </summary>
public sealed record Caller(string Principal, string KeySlot, string? Name = null)
{
    /// <summary>No key, or a key that is nobody's: how the audit log names such a caller (never by the key it sent).</summary>
    public static readonly Caller Anonymous = new("anonymous", "none");

    public bool IsAnonymous => Principal == Anonymous.Principal;
}

/// <summary>API keys per department and for ops (settings section <c>Access</c>; Key Vault references in Azure).</summary>
public sealed class AccessOptions
{
    public const string SectionName = "Access";

    /// <summary>The principal of the ops key.</summary>
    public const string OpsPrincipal = "ops";

    /// <summary>The prefix of a key given by its hash: <c>sha256:</c> and 64 hex digits.</summary>
    public const string HashPrefix = "sha256:";

    public KeyPair Statistics { get; set; } = new();

    public KeyPair PowerGrid { get; set; } = new();

    public KeyPair Transport { get; set; } = new();

    public KeyPair Environment { get; set; } = new();

    public OpsAccessOptions Ops { get; set; } = new();

    /// <summary>
    /// The ops key is for local development: when the app runs in Azure it is refused (ops sign in with Entra ID)
    /// unless this is true, e.g. for a break-glass key while the tenant's sign-in is being set up.
    /// </summary>
    public bool AllowOpsKeyInAzure { get; set; }

    [ValidateObjectMembers]
    public AccessRateLimitOptions RateLimit { get; set; } = new();

    [ValidateObjectMembers]
    public AccessQuotaOptions Quota { get; set; } = new();

    /// <summary>The principal (a feed source, or "ops") whose key this is; null when it is nobody's.</summary>
    public string? Identify(string? presentedKey) => Authenticate(presentedKey)?.Principal;

    /// <summary>The principal whose key this is and which slot holds it; null when it is nobody's.</summary>
    public Caller? Authenticate(string? presentedKey)
    {
        if (string.IsNullOrEmpty(presentedKey))
        {
            return null;
        }

        // Only the digest of the presented key is compared: hashing first gives every comparison the same length,
        // and a setting may hold nothing but the digest.
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey), presented);
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        Caller? match = null;

        // Compare against every key, always, in constant time: the answer's timing says nothing about which key nearly matched.
        foreach (var (principal, slot, _, setting) in Keys())
        {
            if (TryDigest(setting, expected) && CryptographicOperations.FixedTimeEquals(presented, expected))
            {
                match ??= new Caller(principal, slot);
            }
        }

        return match;
    }

    /// <summary>Names (<c>Access__Transport__Primary</c>) of the settings that start like a hash but are not one; never their values.</summary>
    public IReadOnlyList<string> MalformedHashes()
    {
        var malformed = new List<string>();
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        foreach (var (_, _, name, setting) in Keys())
        {
            if (setting?.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase) == true && !TryDigest(setting, digest))
            {
                malformed.Add(name);
            }
        }

        return malformed;
    }

    /// <summary>Pairs of setting names of different principals whose keys are the same key (plain, hashed, or one of each).</summary>
    public IReadOnlyList<(string First, string Second)> SharedKeys()
    {
        var seen = new List<(string Principal, string Name, byte[] Digest)>();
        var shared = new List<(string, string)>();
        var digest = new byte[SHA256.HashSizeInBytes];
        foreach (var (principal, _, name, setting) in Keys())
        {
            if (!TryDigest(setting, digest))
            {
                continue;
            }

            foreach (var other in seen.Where(o => o.Principal != principal && CryptographicOperations.FixedTimeEquals(o.Digest, digest)))
            {
                shared.Add((other.Name, name));
            }

            seen.Add((principal, name, [.. digest]));
        }

        return shared;
    }

    /// <summary>Names of the settings holding a plain key shorter than <paramref name="minimumBytes"/> UTF-8 bytes.</summary>
    public IReadOnlyList<string> ShortKeys(int minimumBytes) =>
        [.. Keys().Where(k => !string.IsNullOrEmpty(k.Setting)
                && !k.Setting.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase)
                && !k.Setting.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase)
                && Encoding.UTF8.GetByteCount(k.Setting) < minimumBytes)
            .Select(k => k.Name)];

    /// <summary>The setting value that stands for <paramref name="key"/> without revealing it: <c>sha256:</c> and its digest in hex.</summary>
    public static string HashOf(string key) => HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private IEnumerable<(string Principal, string Slot, string Name, string? Setting)> Keys()
    {
        foreach (var (principal, property, pair) in new[]
        {
            (Core.Feeds.FeedSource.Statistics, nameof(Statistics), Statistics),
            (Core.Feeds.FeedSource.PowerGrid, nameof(PowerGrid), PowerGrid),
            (Core.Feeds.FeedSource.Transport, nameof(Transport), Transport),
            (Core.Feeds.FeedSource.Environment, nameof(Environment), Environment),
            (OpsPrincipal, nameof(Ops), Ops),
        })
        {
            yield return (principal, "primary", $"{SectionName}__{property}__{nameof(KeyPair.Primary)}", pair.Primary);
            yield return (principal, "secondary", $"{SectionName}__{property}__{nameof(KeyPair.Secondary)}", pair.Secondary);
        }
    }

    // The digest a setting stands for: the one it spells out after sha256:, or that of the plain key. False for no key:
    // empty, a malformed hash, or a Key Vault reference App Service could not resolve (it passes the reference's own
    // text through, which must never work as a key).
    private static bool TryDigest(string? setting, Span<byte> digest)
    {
        if (string.IsNullOrEmpty(setting) || setting.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (setting.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var hex = setting.AsSpan(HashPrefix.Length).Trim();
            return hex.Length == 2 * SHA256.HashSizeInBytes
                && Convert.FromHexString(hex, digest, out _, out var written) == System.Buffers.OperationStatus.Done
                && written == SHA256.HashSizeInBytes;
        }

        SHA256.HashData(Encoding.UTF8.GetBytes(setting), digest);
        return true;
    }
}

// Settings that must stop the start, each named, never its value: a sha256: setting that is not 64 hex digits (it would
// silently lock its client out); one key held by two principals (whoever presents it would be the first of them); and,
// when the app runs in Azure, a key given in plain text shorter than MinimumKeyBytes bytes (the local development keys
// are short; a key given as sha256: cannot be measured, and the seed script makes 64 hex digits); an ops network that
// is not one, or in Azure one holding loopback.
internal sealed class AccessOptionsValidation(bool inAzure) : IValidateOptions<AccessOptions>
{
    public const int MinimumKeyBytes = 32;

    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.MalformedHashes()
            .Select(setting => $"{setting} starts with '{AccessOptions.HashPrefix}' but is not followed by 64 hex digits.")
            .Concat(options.SharedKeys().Select(pair => $"{pair.First} and {pair.Second} hold the same key; every principal needs a key of its own."))
            .ToList();
        if (inAzure)
        {
            failures.AddRange(options.ShortKeys(MinimumKeyBytes).Select(setting =>
                string.Create(CultureInfo.InvariantCulture,
                    $"{setting} is shorter than {MinimumKeyBytes} bytes; use a random key of at least {MinimumKeyBytes} bytes (or its sha256: digest).")));
        }

        var networks = OpsNetworks.Parse(options.Ops.AllowedNetworks, out var networkErrors);
        failures.AddRange(networkErrors);
        if (inAzure && networks is not null)
        {
            // In Azure the Functions host calls the worker on loopback: a call whose forwarded address was lost looks local.
            failures.AddRange(networks.Loopback().Select(network => $"{OpsNetworks.Setting}: {network} holds a "
                + "loopback address, which in Azure would admit a call whose address was lost."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
