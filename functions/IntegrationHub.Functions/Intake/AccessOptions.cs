using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Functions.Intake;

/// <summary>A credential pair: two keys are valid at once so a key can be rotated without downtime.</summary>
public sealed class KeyPair
{
    public string? Primary { get; set; }

    public string? Secondary { get; set; }
}

/// <summary>API keys per department and for ops (settings section <c>Access</c>; Key Vault references in Azure).</summary>
public sealed class AccessOptions
{
    public const string SectionName = "Access";

    /// <summary>The principal of the ops key.</summary>
    public const string OpsPrincipal = "ops";

    public KeyPair Statistics { get; set; } = new();

    public KeyPair PowerGrid { get; set; } = new();

    public KeyPair Transport { get; set; } = new();

    public KeyPair Environment { get; set; } = new();

    public KeyPair Ops { get; set; } = new();

    /// <summary>The principal (a feed source, or "ops") whose key this is; null when it is nobody's.</summary>
    public string? Identify(string? presentedKey)
    {
        if (string.IsNullOrEmpty(presentedKey))
        {
            return null;
        }

        string? match = null;
        // Compare against every key, always, in constant time: the answer's timing says nothing about which key nearly matched.
        foreach (var (principal, pair) in Principals())
        {
            if (Matches(presentedKey, pair.Primary) | Matches(presentedKey, pair.Secondary))
            {
                match ??= principal;
            }
        }

        return match;
    }

    private IEnumerable<(string Principal, KeyPair Keys)> Principals() =>
    [
        (Core.Feeds.FeedSource.Statistics, Statistics),
        (Core.Feeds.FeedSource.PowerGrid, PowerGrid),
        (Core.Feeds.FeedSource.Transport, Transport),
        (Core.Feeds.FeedSource.Environment, Environment),
        (OpsPrincipal, Ops),
    ];

    /// <summary>
    /// App Service passes an unresolvable Key Vault reference through as its literal text; such a setting is no key.
    /// </summary>
    private static bool IsUsableKey(string? key) =>
        !string.IsNullOrEmpty(key) && !key.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);

    private static bool Matches(string presented, string? expected) =>
        IsUsableKey(expected)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected!)));
}
