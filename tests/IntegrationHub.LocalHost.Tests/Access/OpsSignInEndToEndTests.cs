using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using IntegrationHub.LocalHost.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.LocalHost.Tests.Access;

/// <summary>
/// A stand-in Entra ID tenant on real HTTP: an OpenID metadata document and its key set (JWKS) served on a loopback
/// port from an RSA key made for the test run, which also signs the tokens the tests present.
/// </summary>
public sealed class OpsSignInHub : EndToEndHub
{
    public const string TenantId = "8f0e2c1a-5b7d-4e3f-9a61-0c2d4b6e8f10";
    public const string Audience = "api://integration-hub-test";
    public const string KeyId = "test-signing-key";

    public RSA SigningKey { get; } = RSA.Create(2048);

    public TinyServer Tenant { get; private set; } = null!;

    public static string Issuer(string tenant) => $"https://login.microsoftonline.com/{tenant}/v2.0";

    public override async Task InitializeAsync()
    {
        var publicKey = SigningKey.ExportParameters(includePrivateParameters: false);
        Tenant = await TinyServer.StartAsync(context =>
        {
            var self = $"http://127.0.0.1:{context.Request.Host.Port}";
            object document = context.Request.Path.Value switch
            {
                "/tenant/v2.0/.well-known/openid-configuration" => new Dictionary<string, object>
                {
                    ["issuer"] = Issuer(TenantId),
                    ["jwks_uri"] = $"{self}/tenant/discovery/v2.0/keys",
                    ["authorization_endpoint"] = $"{self}/tenant/oauth2/v2.0/authorize",
                    ["token_endpoint"] = $"{self}/tenant/oauth2/v2.0/token",
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                },
                "/tenant/discovery/v2.0/keys" => new
                {
                    keys = new[]
                    {
                        new Dictionary<string, string>
                        {
                            ["kty"] = "RSA", ["use"] = "sig", ["kid"] = KeyId, ["alg"] = "RS256",
                            ["n"] = Base64UrlEncoder.Encode(publicKey.Modulus), ["e"] = Base64UrlEncoder.Encode(publicKey.Exponent),
                        },
                    },
                },
                _ => null!,
            };
            if (document is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(JsonSerializer.Serialize(document));
        });
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Tenant.DisposeAsync();
        SigningKey.Dispose();
    }

    protected override void AddSettings(IDictionary<string, string?> values)
    {
        values["Access:Entra:TenantId"] = TenantId;
        values["Access:Entra:Audience"] = Audience;
        values["Access:Entra:MetadataAddress"] = $"http://127.0.0.1:{Tenant.Port}/tenant/v2.0/.well-known/openid-configuration";
    }

    /// <summary>A token as Entra ID issues one for the hub's app registration, changed as a test needs.</summary>
    public string Token(
        string objectId, string name, string[] roles, string? audience = null, string? issuer = null, DateTimeOffset? expires = null, RSA? signedBy = null)
    {
        var now = DateTimeOffset.UtcNow;
        var until = expires ?? now.AddHours(1);
        var key = new RsaSecurityKey(signedBy ?? SigningKey) { KeyId = KeyId };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer(TenantId),
            Audience = audience ?? Audience,
            IssuedAt = until.AddHours(-1).UtcDateTime,
            NotBefore = until.AddHours(-1).UtcDateTime,
            Expires = until.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["oid"] = objectId,
                ["name"] = name,
                ["tid"] = TenantId,
                ["roles"] = roles,
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}

/// <summary>
/// Ops as people, end to end over HTTP to the local host on Azurite: bearer tokens checked against a tenant's metadata
/// and keys fetched over HTTP, the two app roles, the audit naming the person, and the ops key refused in Azure.
/// </summary>
public sealed class OpsSignInEndToEndTests(OpsSignInHub hub) : IClassFixture<OpsSignInHub>
{
    private const string OperatorId = "3a1f6f0e-0d7e-4a3b-8c51-6b2b3e0f9a01";
    private const string ReaderId = "b7c2d9e4-1f3a-4c6b-9e8d-2a5f7c1b3d02";

    [Fact]
    public async Task OperatorToken_StartsAPull_AndTheAuditNamesThePerson()
    {
        var token = hub.Token(OperatorId, "Li Wei (operator)", ["Ops.Operator"]);

        var pull = await SendAsync(HttpMethod.Post, "/api/pulls/transport/2024-01", token);

        Assert.True(pull.Status == 202, $"An operator may start a pull; got {pull}");
        var entries = await AuditAsync($"actor={OperatorId}&action=pull");
        Assert.Contains(entries, e => e.GetProperty("outcome").GetString() == "started"
            && e.GetProperty("target").GetString() == "pull:transport:2024-01"
            && e.GetProperty("keySlot").GetString() == "entra-id"
            && e.GetProperty("name").GetString() == "Li Wei (operator)");
    }

    [Fact]
    public async Task ReaderToken_ReadsAndIsAuditedAsAReader_ButEveryActionIs403Problem()
    {
        var token = hub.Token(ReaderId, "Zhang Min (reader)", ["Ops.Reader"]);

        var list = await SendAsync(HttpMethod.Get, "/api/ops/instances?pageSize=5", token);
        Assert.True(list.Status == 200, $"A reader may list instances; got {list}");
        Assert.Equal(200, (await SendAsync(HttpMethod.Get, "/api/ops/quarantine", token)).Status);

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Post, "/api/pulls/transport/2024-02"),
            (HttpMethod.Post, "/api/ops/replay-failed"),
            (HttpMethod.Delete, "/api/ops/instances/pull%3Atransport%3A2024-02"),
            (HttpMethod.Post, "/api/ops/reconsolidate"),
        })
        {
            var refused = await SendAsync(method, path, token);
            Assert.True(refused.Status == 403 && refused.MediaType == "application/problem+json", $"{method} {path} by a reader: {refused}");
            Assert.Equal("Operator role required", JsonDocument.Parse(refused.Body).RootElement.GetProperty("title").GetString());
        }

        // Starting a reconciliation only reads the store: a reader may.
        var reconciliation = await SendAsync(HttpMethod.Post, "/api/ops/reconciliations?graceSeconds=0", token);
        Assert.True(reconciliation.Status == 202, $"A reader may start a reconciliation; got {reconciliation}");

        var entries = await AuditAsync($"actor={ReaderId}&action=read");
        var read = Assert.Single(entries, e => e.GetProperty("target").GetString() == "/api/ops/instances?pageSize=5");
        Assert.Equal("read", read.GetProperty("action").GetString());
        Assert.Equal("done", read.GetProperty("outcome").GetString());
        Assert.Equal(200, read.GetProperty("status").GetInt32());
        Assert.Equal("Zhang Min (reader)", read.GetProperty("name").GetString());

        // Refused actions did nothing, so they left no line; the pull was never started.
        Assert.Equal(["read", "reconcile"],
            (await AuditAsync($"actor={ReaderId}")).Select(e =>
            e.GetProperty("action").GetString()).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(404, (await hub.Api.GetAsync("/api/ops/instances/pull%3Atransport%3A2024-02", Keys.Ops)).Status);
    }

    [Fact]
    public async Task TokensThatAreNotTheTenantsForThisHub_401Problem_NothingAudited()
    {
        // An id of its own: no other test's lines can match the audit query below.
        const string subject = "e4d3c2b1-a0f9-4e8d-9c7b-6a5f4e3d2c05";
        using var otherKey = RSA.Create(2048);
        var cases = new Dictionary<string, string>
        {
            ["expired an hour ago"] = hub.Token(subject, "x", ["Ops.Operator"], expires: DateTimeOffset.UtcNow.AddHours(-1)),
            ["for another audience"] = hub.Token(subject, "x", ["Ops.Operator"], audience: "api://another-app"),
            ["from another tenant"] = hub.Token(subject, "x", ["Ops.Operator"], issuer: OpsSignInHub.Issuer("0b9d4f3e-0000-4000-8000-000000000000")),
            ["signed by another key under the tenant's key id"] = hub.Token(subject, "x", ["Ops.Operator"], signedBy: otherKey),
            ["not a token"] = "not.a.token",
        };
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        foreach (var (what, token) in cases)
        {
            var answer = await SendAsync(HttpMethod.Get, "/api/ops/instances", token);
            Assert.True(answer.Status == 401 && answer.MediaType == "application/problem+json", $"A token {what} should be refused with 401; got {answer}");
            Assert.Equal(401, (await SendAsync(HttpMethod.Post, "/api/pulls/transport/2024-03", token)).Status);
        }

        var lines = await AuditAsync($"from={Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture))}&actor={subject}");
        Assert.Empty(lines);
    }

    [Fact]
    public async Task SignedInWithoutAnOpsRole_403()
    {
        var answer = await SendAsync(HttpMethod.Get, "/api/ops/instances", hub.Token("c0ffee00-0000-4000-8000-000000000003", "Someone else", []));

        Assert.True(answer.Status == 403 && answer.MediaType == "application/problem+json", $"{answer}");
    }

    [Fact]
    public async Task OpsKey_InAzure_RefusedUnlessExplicitlyAllowed_TokensStillWork()
    {
        var token = hub.Token(OperatorId, "Li Wei (operator)", ["Ops.Operator"]);
        Assert.Equal(200, (await hub.Api.GetAsync("/api/ops/quarantine", Keys.Ops)).Status);
        try
        {
            // App Service sets this on every instance: the hub is in Azure now.
            hub.Reconfigure(("WEBSITE_INSTANCE_ID", "5f2a9c0d1e3b4a6f"));
            var refused = await hub.Api.GetAsync("/api/ops/quarantine", Keys.Ops);
            Assert.True(refused.Status == 401 && refused.MediaType == "application/problem+json", $"The ops key in Azure: {refused}");
            Assert.Equal("Sign in with Entra ID", refused.Json.GetProperty("title").GetString());
            Assert.Equal(401, (await hub.Api.StartPullAsync("transport", "2024-04")).Status);
            Assert.Equal(200, (await SendAsync(HttpMethod.Get, "/api/ops/quarantine", token)).Status);

            hub.Reconfigure(("Access:AllowOpsKeyInAzure", "true"));
            Assert.Equal(200, (await hub.Api.GetAsync("/api/ops/quarantine", Keys.Ops)).Status);
        }
        finally
        {
            hub.Reconfigure(("WEBSITE_INSTANCE_ID", null), ("Access:AllowOpsKeyInAzure", null));
        }

        Assert.Equal(200, (await hub.Api.GetAsync("/api/ops/quarantine", Keys.Ops)).Status);
    }

    [Fact]
    public async Task HubTool_WithAToken_ReconcilesAsThePerson_AndAReadersActionIsRefused()
    {
        const string operatorId = "5d0c3b2a-9e8f-4a1b-8c7d-6e5f4a3b2c04";
        var token = hub.Token(operatorId, "Wang Fang (operator)", ["Ops.Operator"]);

        var (exit, stdout, stderr) = await HubTool.RunAsync(hub.Api.Address, ["reconcile", "--grace-seconds", "0"], new() { ["HUB_OPS_TOKEN"] = token });

        Assert.True(exit == 0, $"hub reconcile with a token: exit {exit}; {stdout} {stderr}");
        Assert.Contains("0 lost, 0 duplicate(s)", stdout, StringComparison.Ordinal);
        var entries = await AuditAsync($"actor={operatorId}");
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "reconcile" && e.GetProperty("name").GetString() == "Wang Fang (operator)");
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "read"
            && e.GetProperty("target").GetString()!.StartsWith("/api/ops/reconciliations/", StringComparison.Ordinal));

        var reader = hub.Token(ReaderId, "Zhang Min (reader)", ["Ops.Reader"]);
        (exit, stdout, stderr) = await HubTool.RunAsync(hub.Api.Address, ["ops", "list", "--token", reader]);
        Assert.True(exit == 0, $"hub ops list as a reader: exit {exit}; {stdout} {stderr}");
        (exit, stdout, stderr) = await HubTool.RunAsync(hub.Api.Address, ["ops", "replay-failed", "--dry-run", "--token", reader]);
        Assert.True(exit == 2 && stderr.Contains("error 403 Operator role required", StringComparison.Ordinal),
            $"replay-failed as a reader: exit {exit}; {stdout} {stderr}");
    }

    [Fact]
    public async Task TenantMetadataUnreachable_503NamingSignIn_NotA401()
    {
        var token = hub.Token(OperatorId, "Li Wei (operator)", ["Ops.Operator"]);
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var address = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/tenant/v2.0/.well-known/openid-configuration";
        try
        {
            hub.Reconfigure(("Access:Entra:MetadataAddress", address));
            var answer = await SendAsync(HttpMethod.Get, "/api/ops/quarantine", token);
            Assert.True(answer.Status == 503 && answer.MediaType == "application/problem+json", $"{answer}");
            Assert.Equal("sign-in", JsonDocument.Parse(answer.Body).RootElement.GetProperty("dependency").GetString());
        }
        finally
        {
            hub.Reconfigure(("Access:Entra:MetadataAddress", $"http://127.0.0.1:{hub.Tenant.Port}/tenant/v2.0/.well-known/openid-configuration"));
        }

        Assert.Equal(200, (await SendAsync(HttpMethod.Get, "/api/ops/quarantine", token)).Status);
    }

    private async Task<HubAnswer> SendAsync(HttpMethod method, string path, string token)
    {
        using var http = new HttpClient { BaseAddress = hub.Api.Address };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return new HubAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            await response.Content.ReadAsStringAsync(), response.Headers.Location?.ToString());
    }

    // The audit entries the filter matches, read with the ops key (local development).
    private async Task<IReadOnlyList<JsonElement>> AuditAsync(string filter)
    {
        var answer = await hub.Api.GetAsync($"/api/ops/audit?limit=1000&{filter}", Keys.Ops);
        Assert.True(answer.Status == 200, $"GET /api/ops/audit: {answer}");
        return [.. answer.Json.GetProperty("entries").EnumerateArray()];
    }
}
