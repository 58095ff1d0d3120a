using System.Net.Http.Headers;
using IntegrationHub.LocalHost.Tests.Support;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // one real host at a time on a small machine

namespace IntegrationHub.RealHost.Tests;

/// <summary>The real host with an ops network list that does not hold this machine (documentation ranges only).</summary>
public sealed class OpsNetworkRealHost : RealFunctionsHost
{
    public const string Allowed = "203.0.113.0/24, 2001:db8::/32";

    protected override void AddSettings(IDictionary<string, string?> environment) =>
        environment["Access__Ops__AllowedNetworks"] = Allowed;
}

/// <summary>
/// Which address the app judges under the real Functions host, which proxies each call to the isolated worker and
/// writes X-Forwarded-For itself: the caller (here 127.0.0.1, outside the list), never an allowed address the caller
/// claims in X-Forwarded-For or the other address headers.
/// </summary>
public sealed class OpsNetworkRealHostTests(OpsNetworkRealHost hub) : IClassFixture<OpsNetworkRealHost>
{
    [RealHostFact]
    public async Task OpsSurface_CallerOutsideTheList_403_EvenClaimingAnAllowedAddressInForwardedHeaders_PushAccepted()
    {
        var plain = await hub.Api.GetAsync("/api/ops/quarantine", Keys.Ops);
        Assert.True(plain.Status == 403 && plain.MediaType == "application/problem+json", $"Ops from 127.0.0.1: {plain}");
        Assert.Equal("Not from an ops network", plain.Json.GetProperty("title").GetString());

        // One claimed address, then a chain whose right-most entry is allowed, then every other address header.
        foreach (var headers in new Dictionary<string, string>[]
        {
            new() { ["X-Forwarded-For"] = "203.0.113.10" },
            new() { ["X-Forwarded-For"] = "198.18.0.1, 203.0.113.10" },
            new() { ["X-Forwarded-For"] = "[2001:db8::10]:443" },
            new() { ["X-Client-IP"] = "203.0.113.10", ["CLIENT-IP"] = "203.0.113.10:50000", ["Forwarded"] = "for=203.0.113.10" },
        })
        {
            var status = await SendAsync("/api/ops/quarantine", headers);
            Assert.True(status == 403, $"Claimed {string.Join(", ", headers)}: {status}");
        }

        Assert.Equal(403, (await hub.Api.GetAsync("/api/console")).Status);
        Assert.Equal(403, (await hub.Api.GetAsync("/api/console/sign-in")).Status);

        // Departments push from anywhere: the same caller's push is accepted.
        await hub.Api.PushAcceptedAsync("transport-2025-06-r0.json");
    }

    private async Task<int> SendAsync(string path, Dictionary<string, string> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(Keys.Header, Keys.Ops);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await hub.Http.SendAsync(request);
        return (int)response.StatusCode;
    }
}
