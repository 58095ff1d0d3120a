using System.Net.Http.Headers;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.Access;

/// <summary>
/// The ops surface's network allow-list (<c>Access__Ops__AllowedNetworks</c>) end to end, over HTTP to the local host,
/// which listens on loopback: every call of these tests comes from 127.0.0.1. A list without loopback makes this
/// machine an outside network; a list with it makes it an ops network. Set while the hub runs, put back after.
/// </summary>
public sealed class OpsNetworkEndToEndTests(AccessHub hub) : IClassFixture<AccessHub>
{
    private const string Setting = "Access:Ops:AllowedNetworks";

    // Documentation ranges (RFC 5737, RFC 3849): no machine of this test is in them.
    private const string Elsewhere = "203.0.113.0/24, 2001:db8::/32";

    private HubApi Api => hub.Api;

    [Fact]
    public async Task OpsSurface_FromAnAddressOutsideTheList_403_ADepartmentPushFromThatAddressAccepted_InsideTheListOpsWorks()
    {
        // Before any list: the ops surface answers this machine.
        Assert.Equal(200, (await Api.GetAsync("/api/ops/quarantine", Keys.Ops)).Status);
        Assert.Equal(200, (await Api.GetAsync("/api/console")).Status);
        try
        {
            hub.Reconfigure((Setting, Elsewhere));

            // A read with the valid ops key, with a query only this test sends (so its audit line would be found).
            var refused = await Api.GetAsync("/api/ops/quarantine?source=transport&limit=7", Keys.Ops);
            Assert.True(refused.Status == 403 && refused.MediaType == "application/problem+json", $"Ops from outside the list: {refused}");
            Assert.Equal("Not from an ops network", refused.Json.GetProperty("title").GetString());
            Assert.DoesNotContain("127.0.0.1", refused.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("203.0.113", refused.Body, StringComparison.Ordinal);

            // The caller claims an allowed address in the headers a proxy would write: the hub judges the connection.
            var forged = await SendAsync("/api/ops/quarantine", new()
            {
                ["X-Forwarded-For"] = "203.0.113.10",
                ["X-Client-IP"] = "203.0.113.10",
                ["CLIENT-IP"] = "203.0.113.10:50000",
                ["Forwarded"] = "for=203.0.113.10",
            });
            Assert.Equal(403, forged);

            // Every part of the ops surface: an action, the pull route, the console and its sign-in settings.
            Assert.Equal(403, (await Api.SendAsync(HttpMethod.Post, "/api/ops/replay-failed?dryRun=true", Keys.Ops)).Status);
            Assert.Equal(403, (await Api.StartPullAsync("transport", "2024-04")).Status);
            Assert.Equal(403, (await Api.GetAsync("/api/console")).Status);
            Assert.Equal(403, (await Api.GetAsync("/api/console/sign-in")).Status);

            // Departments push from the internet: the same address pushes and is accepted; published data stays open.
            var feedId = await Api.PushAcceptedAsync("statistics-2024-Q4-r1.json");
            Assert.StartsWith("statistics-2024-Q4-r1-", feedId, StringComparison.Ordinal);
            Assert.Equal(200, (await Api.GetAsync("/api/dashboard")).Status);
            Assert.Equal(200, (await Api.GetAsync("/api/health")).Status);

            // Now this machine's address is in the list (with a range elsewhere): the ops surface answers it.
            hub.Reconfigure((Setting, "127.0.0.1, ::1, " + Elsewhere));
            Assert.Equal(200, (await Api.GetAsync("/api/ops/quarantine", Keys.Ops)).Status);
            Assert.Equal(200, (await Api.GetAsync("/api/console")).Status);
            Assert.Equal(200, (await Api.GetAsync("/api/console/sign-in")).Status);
            var dryRun = await Api.SendAsync(HttpMethod.Post, "/api/ops/replay-failed?dryRun=true", Keys.Ops);
            Assert.True(dryRun.Status == 200, $"An ops action from an allowed address: {dryRun}");
        }
        finally
        {
            hub.Reconfigure((Setting, null));
        }

        // The refused read did nothing and left no audit line; the push did.
        var refusedReads = await Api.GetAsync("/api/ops/audit?limit=1000&target=%2Fapi%2Fops%2Fquarantine%3Fsource%3Dtransport%26limit%3D7", Keys.Ops);
        Assert.Equal(200, refusedReads.Status);
        Assert.Empty(refusedReads.Json.GetProperty("entries").EnumerateArray());
        var pushes = await Api.GetAsync("/api/ops/audit?limit=1000&action=push&actor=statistics", Keys.Ops);
        Assert.Contains(pushes.Json.GetProperty("entries").EnumerateArray(), e => e.GetProperty("status").GetInt32() == 202);
    }

    // A GET of the ops surface with the ops key and extra headers; its status.
    private async Task<int> SendAsync(string path, Dictionary<string, string> headers)
    {
        using var http = new HttpClient { BaseAddress = Api.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(Keys.Header, Keys.Ops);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }
}
