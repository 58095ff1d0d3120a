using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Pull;

/// <summary>What kind of network an address is on, as far as a pull may go there.</summary>
public enum AddressScope
{
    /// <summary>A public internet address: a department's API.</summary>
    Public,

    /// <summary>Loopback, RFC 1918, shared (CGNAT) or IPv6 unique-local: allowed only with <c>Pull__AllowPrivateNetworks</c>.</summary>
    Private,

    /// <summary>
    /// Never a department: unspecified, link-local (the cloud metadata endpoint 169.254.169.254 among them), multicast,
    /// broadcast, reserved and documentation ranges, and Azure's platform address 168.63.129.16.
    /// </summary>
    Forbidden,
}

/// <summary>
/// Where a pull may connect. The allowed hosts are checked on the URL (<see cref="PullUrl"/>); this checks the
/// addresses the host name resolves to, at connect time, on the very address the socket connects to, so a name that
/// resolves to a public address for the check and to an internal one for the connection (DNS rebinding) gets nowhere.
/// IPv4 addresses inside IPv6 ones (mapped, compatible, NAT64, 6to4) are judged as the IPv4 address they carry.
/// </summary>
public static class PullTargets
{
    private static readonly IPAddress AzurePlatform = IPAddress.Parse("168.63.129.16");

    public static AddressScope ScopeOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedIPv4(address) is { } inner)
        {
            return ScopeOf(inner);
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ScopeOfIPv4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => ScopeOfIPv6(address),
            _ => AddressScope.Forbidden,
        };
    }

    /// <summary>Whether a pull may connect to <paramref name="address"/>.</summary>
    public static bool Allows(PullOptions options, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ScopeOf(address) switch
        {
            AddressScope.Public => true,
            AddressScope.Private => options.AllowPrivateNetworks,
            _ => false,
        };
    }

    /// <summary>Why a pull may not connect to <paramref name="address"/> of <paramref name="host"/>, or null when it may.</summary>
    public static string? Refusal(PullOptions options, string host, IPAddress address) => Allows(options, address)
        ? null
        : ScopeOf(address) == AddressScope.Private
            ? $"'{host}' is at {address}, a private-network address; pulls go to public addresses unless Pull__AllowPrivateNetworks is true."
            : $"'{host}' is at {address}, an address no department API is at (link-local, metadata, reserved or special-purpose); pulls never go there.";

    /// <summary>
    /// The primary handler of the pull client: no redirects (a 3xx is refused by the activity), no proxy (the checked
    /// address must be the one connected to), and a connect step that resolves the host itself, refuses it unless every
    /// address is allowed, and connects only to those addresses.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(IOptionsMonitor<PullOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(options.CurrentValue, context.DnsEndPoint, cancellationToken),
        };
    }

    private static async ValueTask<Stream> ConnectAsync(PullOptions options, DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var host = endpoint.Host;
        IPAddress[] addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);

        // A name with one internal address among public ones is refused whole: that mix is how rebinding attacks look.
        if (addresses.Select(a => Refusal(options, host, a)).FirstOrDefault(r => r is not null) is { } refusal)
        {
            throw new PullRefusedException(refusal);
        }

        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken).ConfigureAwait(false);

            // The addresses were checked; this is the one the connection actually went to, checked again.
            if (socket.RemoteEndPoint is IPEndPoint remote && Refusal(options, host, remote.Address) is { } late)
            {
                throw new PullRefusedException(late);
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static AddressScope ScopeOfIPv4(byte[] b) => (b[0], b[1], b[2], b[3]) switch
    {
        (0, _, _, _) => AddressScope.Forbidden, // "this network", 0.0.0.0
        (127, _, _, _) => AddressScope.Private, // loopback
        (10, _, _, _) => AddressScope.Private,
        (172, >= 16 and <= 31, _, _) => AddressScope.Private,
        (192, 168, _, _) => AddressScope.Private,
        (100, >= 64 and <= 127, _, _) => AddressScope.Private, // shared address space (carrier-grade NAT)
        (169, 254, _, _) => AddressScope.Forbidden, // link-local: cloud instance metadata lives here
        (192, 0, 0, _) => AddressScope.Forbidden, // IETF protocol assignments
        (192, 0, 2, _) or (198, 51, 100, _) or (203, 0, 113, _) => AddressScope.Forbidden, // documentation
        (198, 18 or 19, _, _) => AddressScope.Forbidden, // benchmarking
        (>= 224, _, _, _) => AddressScope.Forbidden, // multicast, reserved, broadcast
        _ when new IPAddress(b).Equals(AzurePlatform) => AddressScope.Forbidden, // Azure's wire server and DNS
        _ => AddressScope.Public,
    };

    private static AddressScope ScopeOfIPv6(IPAddress address)
    {
        if (IPAddress.IPv6Loopback.Equals(address))
        {
            return AddressScope.Private;
        }

        var b = address.GetAddressBytes();
        if (IPAddress.IPv6Any.Equals(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast)
        {
            return AddressScope.Forbidden;
        }

        if ((b[0] & 0xfe) == 0xfc)
        {
            return AddressScope.Private; // fc00::/7, unique local
        }

        // 2001:db8::/32 documentation; 2001::/32 Teredo, whose IPv4 is obfuscated and which a department would not use;
        // 100::/64 discard-only.
        if ((b[0], b[1], b[2], b[3]) is (0x20, 0x01, 0x0d, 0xb8) or (0x20, 0x01, 0x00, 0x00)
            || (b[0] == 0x01 && b.AsSpan(1, 7).IndexOfAnyExcept((byte)0) < 0))
        {
            return AddressScope.Forbidden;
        }

        // Only 2000::/3 is global unicast today; anything else is reserved.
        return (b[0] & 0xe0) == 0x20 ? AddressScope.Public : AddressScope.Forbidden;
    }

    // The IPv4 address an IPv6 address carries: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64
    // (64:ff9b::a.b.c.d) or 6to4 (2002:AABB:CCDD::).
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var b = address.GetAddressBytes();
        var zeroPrefix = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        if (zeroPrefix && !IPAddress.IPv6Any.Equals(address) && !IPAddress.IPv6Loopback.Equals(address))
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        return b[0] == 0x20 && b[1] == 0x02 ? new IPAddress(b.AsSpan(2, 4)) : null;
    }
}
