using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Functions.Access;

/// <summary>
/// The networks the ops surface answers (setting <c>Access__Ops__AllowedNetworks</c>): CIDR ranges or single
/// addresses, IPv4 and IPv6, separated by commas. Empty admits every network. An IPv4 address carried in IPv6
/// (<c>::ffff:a.b.c.d</c>) is judged as the IPv4 address it is, on either side.
/// </summary>
public sealed class OpsNetworks
{
    public const string Setting = "Access__Ops__AllowedNetworks";

    private readonly IReadOnlyList<IPNetwork> networks;

    private OpsNetworks(IReadOnlyList<IPNetwork> networks) => this.networks = networks;

    /// <summary>No restriction: an empty list.</summary>
    public static OpsNetworks Any { get; } = new([]);

    public bool IsRestricted => networks.Count > 0;

    public IReadOnlyList<IPNetwork> Networks => networks;

    /// <summary>The list <paramref name="setting"/> spells, or null and a message per entry that is no network.</summary>
    public static OpsNetworks? Parse(string? setting, out IReadOnlyList<string> errors)
    {
        var parsed = new List<IPNetwork>();
        var wrong = new List<string>();
        var entries = (setting ?? "").Split([',', ';', ' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var entry in entries)
        {
            if (TryNetwork(entry, out var network))
            {
                parsed.Add(network);
            }
            else
            {
                // The entry is the deployer's own text, no secret: naming it is what makes the message useful.
                var shown = entry.Length > 64 ? entry[..64] + "…" : entry;
                wrong.Add($"{Setting}: '{shown}' is not an IPv4 or IPv6 address or CIDR range with no bits set after "
                    + "its prefix (e.g. 203.0.113.0/24, 2001:db8::/32).");
            }
        }

        errors = wrong;
        return wrong.Count == 0 ? new OpsNetworks(parsed) : null;
    }

    /// <summary>Whether <paramref name="address"/> may use the ops surface; an unknown one only with no list.</summary>
    public bool Admits(IPAddress? address)
    {
        if (!IsRestricted)
        {
            return true;
        }

        if (address is null)
        {
            return false;
        }

        var judged = Normalise(address);
        return networks.Any(n => n.Contains(judged));
    }

    /// <summary>Entries holding loopback: in Azure every call reaches the app from the host on loopback.</summary>
    public IEnumerable<IPNetwork> Loopback() =>
        networks.Where(n => n.Contains(IPAddress.Loopback) || n.Contains(IPAddress.IPv6Loopback));

    /// <summary>
    /// The connection's remote address, never a header the caller wrote: under the Functions host the worker's
    /// forwarded-headers middleware has already taken it from the X-Forwarded-For the host rewrites, so reading that
    /// header again here would find nothing or the caller's own text.
    /// </summary>
    public static IPAddress? ClientAddress(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress is { } address ? Normalise(address) : null;
    }

    // An IPv4 address inside IPv6 (::ffff:a.b.c.d, as a dual-stack socket reports it) is that IPv4 address.
    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static bool TryNetwork(string entry, out IPNetwork network)
    {
        network = default;

        // IPAddress reads "10" as 0.0.0.10 and "10.1" as 10.0.0.1: an IPv4 entry must be written out in four parts.
        var address = entry.Split('/')[0];
        if (!address.Contains(':', StringComparison.Ordinal) && address.Count(c => c == '.') != 3)
        {
            return false;
        }

        if (entry.Contains('/', StringComparison.Ordinal))
        {
            // Strict: 10.1.2.3/8 is refused rather than masked to 10.0.0.0/8 (as IPNetwork does), since the deployer
            // meant one or the other.
            if (!IPNetwork.TryParse(entry, out network) || !IPAddress.TryParse(address, out var written)
                || !written.Equals(network.BaseAddress))
            {
                return false;
            }
        }
        else if (IPAddress.TryParse(entry, out var single)
            && (single.AddressFamily == AddressFamily.InterNetwork || single.ScopeId == 0))
        {
            network = new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        }
        else
        {
            return false;
        }

        // ::ffff:10.0.0.0/104 is 10.0.0.0/8: addresses are judged as IPv4 once unwrapped, so the range must be too.
        if (network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96)
        {
            network = new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96);
        }

        return true;
    }
}
