using System.Net;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Pull;

namespace IntegrationHub.Integration.Tests.Pull;

public sealed class PullTargetsTests
{
    [Theory]
    [InlineData("93.184.216.34", AddressScope.Public)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", AddressScope.Public)]
    [InlineData("127.0.0.1", AddressScope.Private)]
    [InlineData("127.8.9.10", AddressScope.Private)]
    [InlineData("::1", AddressScope.Private)]
    [InlineData("10.1.2.3", AddressScope.Private)]
    [InlineData("172.16.0.1", AddressScope.Private)]
    [InlineData("172.31.255.255", AddressScope.Private)]
    [InlineData("172.32.0.1", AddressScope.Public)]
    [InlineData("192.168.10.20", AddressScope.Private)]
    [InlineData("100.64.0.1", AddressScope.Private)]
    [InlineData("fd12:3456::1", AddressScope.Private)]
    [InlineData("169.254.169.254", AddressScope.Forbidden)]
    [InlineData("fe80::1", AddressScope.Forbidden)]
    [InlineData("168.63.129.16", AddressScope.Forbidden)]
    [InlineData("0.0.0.0", AddressScope.Forbidden)]
    [InlineData("::", AddressScope.Forbidden)]
    [InlineData("224.0.0.1", AddressScope.Forbidden)]
    [InlineData("255.255.255.255", AddressScope.Forbidden)]
    [InlineData("ff02::1", AddressScope.Forbidden)]
    [InlineData("192.0.2.10", AddressScope.Forbidden)]
    [InlineData("2001:db8::1", AddressScope.Forbidden)]
    public void ScopeOf_Address_IsItsNetwork(string address, AddressScope scope)
    {
        Assert.Equal(scope, PullTargets.ScopeOf(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", AddressScope.Private)] // IPv4-mapped
    [InlineData("::ffff:169.254.169.254", AddressScope.Forbidden)]
    [InlineData("::ffff:10.0.0.1", AddressScope.Private)]
    [InlineData("::ffff:93.184.216.34", AddressScope.Public)]
    [InlineData("::169.254.169.254", AddressScope.Forbidden)] // IPv4-compatible
    [InlineData("64:ff9b::a9fe:a9fe", AddressScope.Forbidden)] // NAT64 of 169.254.169.254
    [InlineData("2002:7f00:1::", AddressScope.Private)] // 6to4 of 127.0.0.1
    [InlineData("2002:a9fe:a9fe::1", AddressScope.Forbidden)] // 6to4 of 169.254.169.254
    public void ScopeOf_IPv4InsideIPv6_IsThatOfTheIPv4Address(string address, AddressScope scope)
    {
        Assert.Equal(scope, PullTargets.ScopeOf(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.216.34", false, true)]
    [InlineData("10.0.0.5", false, false)]
    [InlineData("10.0.0.5", true, true)]
    [InlineData("::1", true, true)]
    [InlineData("169.254.169.254", true, false)]
    [InlineData("fe80::1", true, false)]
    public void Allows_PrivateOnlyWhenConfigured_ForbiddenNever(string address, bool allowPrivate, bool allowed)
    {
        Assert.Equal(allowed, PullTargets.Allows(new PullOptions { AllowPrivateNetworks = allowPrivate }, IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("http://10.0.0.5:8080", false)]
    [InlineData("http://[::ffff:127.0.0.1]:7080", false)]
    [InlineData("http://169.254.169.254", true)]
    public void Build_BaseUrlAtARefusedAddress_IsRefusedBeforeAnyRequest(string baseUrl, bool allowPrivate)
    {
        var host = new Uri(baseUrl).Host;
        var options = new PullOptions
        {
            Transport = new PullSourceOptions { BaseUrl = baseUrl },
            AllowedHosts = host,
            AllowPrivateNetworks = allowPrivate,
        };

        var refused = Assert.Throws<PullRefusedException>(() => PullUrl.Build(options, FeedSource.Transport, "2025-03"));

        Assert.Contains(host.Trim('[', ']'), refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Build_PrivateBaseUrlWithPrivateNetworksAllowed_IsBuilt()
    {
        // Plain http to a private host needs it named in AllowHttpHosts as well (PullUrlTests).
        var options = new PullOptions
        {
            Transport = new PullSourceOptions { BaseUrl = "http://10.0.0.5:8080" },
            AllowedHosts = "10.0.0.5",
            AllowPrivateNetworks = true,
            AllowHttpHosts = "10.0.0.5",
        };

        Assert.Equal("http://10.0.0.5:8080/transport/feeds/2025-03", PullUrl.Build(options, FeedSource.Transport, "2025-03").AbsoluteUri);
    }
}
