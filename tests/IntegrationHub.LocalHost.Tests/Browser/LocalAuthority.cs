using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.LocalHost.Tests.Browser;

/// <summary>One person the local authority can sign in: object id, display name and the hub's app roles they hold.</summary>
public sealed record AuthorityPerson(string Key, string ObjectId, string Name, string[] Roles);

/// <summary>
/// A stand-in for an Entra ID tenant that a browser can sign in with, on this machine: OpenID metadata, its key set,
/// an authorize endpoint (a page listing people to pick; the pick redirects back with a code), a token endpoint that
/// checks the code's PKCE verifier, redirect URI and client, and issues RS256 tokens with <c>oid</c>, <c>name</c>,
/// <c>roles</c> and the hub's <c>aud</c>, refresh tokens, and a logout endpoint. Served over https with a self-signed
/// certificate, because MSAL.js refuses any other authority, and the same documents over plain http for the hub,
/// whose metadata client trusts only real certificates (plain http is allowed on loopback).
/// </summary>
public sealed class LocalAuthority : IAsyncDisposable
{
    public const string TenantId = "2d6f8a1c-3b5e-4c7d-9e0f-1a2b3c4d5e6f";

    /// <summary>The hub's API registration: the <c>aud</c> of access tokens, as Access__Entra__Audience.</summary>
    public const string Audience = "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    /// <summary>The console's registration (platform: single-page application).</summary>
    public const string ConsoleClientId = "9c8b7a6d-5e4f-4d3c-8b2a-1f0e9d8c7b6a";

    private const string KeyId = "local-authority-key";

    private readonly WebApplication app;
    private readonly RSA signingKey = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, PendingSignIn> pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedCode> codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AuthorityPerson> refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> refused = new();
    private int codeExchanges;
    private int refreshes;

    private LocalAuthority(WebApplication app, IReadOnlyList<AuthorityPerson> people)
    {
        this.app = app;
        People = people;
    }

    public IReadOnlyList<AuthorityPerson> People { get; }

    public int HttpsPort { get; private set; }

    public int HttpPort { get; private set; }

    /// <summary>How long access tokens last. Under MSAL's 5-minute renewal margin, so every use renews by refresh token.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Codes exchanged for tokens (each with a matching PKCE verifier, or it would have been refused).</summary>
    public int CodeExchanges => Volatile.Read(ref codeExchanges);

    /// <summary>Access tokens renewed with a refresh token.</summary>
    public int Refreshes => Volatile.Read(ref refreshes);

    /// <summary>Why requests were refused (a wrong verifier, client, redirect URI or code), for failure messages.</summary>
    public IReadOnlyCollection<string> Refused => refused;

    public string Authority => $"https://127.0.0.1:{HttpsPort}/{TenantId}";

    public string Issuer => $"{Authority}/v2.0";

    /// <summary>What the hub reads (Access__Entra__MetadataAddress): the same document over plain http.</summary>
    public string HubMetadataAddress => $"http://127.0.0.1:{HttpPort}/{TenantId}/v2.0/.well-known/openid-configuration";

    public static async Task<LocalAuthority> StartAsync(params AuthorityPerson[] people)
    {
        using var certificate = SelfSigned();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var tls = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(tls));
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var authority = new LocalAuthority(builder.Build(), people);
        authority.app.Run(authority.HandleAsync);
        await authority.app.StartAsync();
        foreach (var address in authority.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)))
        {
            if (address.Scheme == Uri.UriSchemeHttps)
            {
                authority.HttpsPort = address.Port;
            }
            else
            {
                authority.HttpPort = address.Port;
            }
        }

        return authority;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        signingKey.Dispose();
    }

    /// <summary>Every refresh token issued so far stops working, as when a session is revoked or has run out.</summary>
    public void RevokeRefreshTokens() => refreshTokens.Clear();

    /// <summary>An access token for the hub as the token endpoint issues one (for calls the test makes itself).</summary>
    public string AccessToken(AuthorityPerson person) => Sign(new Dictionary<string, object>
    {
        ["aud"] = Audience,
        ["oid"] = person.ObjectId,
        ["sub"] = person.ObjectId,
        ["tid"] = TenantId,
        ["name"] = person.Name,
        ["roles"] = person.Roles,
        ["scp"] = "Ops.Use",
        ["azp"] = ConsoleClientId,
    }, AccessTokenLifetime);

    private async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;

        // MSAL.js reads the metadata and redeems codes from the console's origin.
        response.Headers.AccessControlAllowOrigin = "*";
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            response.Headers.AccessControlAllowMethods = "GET, POST";
            response.Headers.AccessControlAllowHeaders = context.Request.Headers.AccessControlRequestHeaders.ToString() is { Length: > 0 } asked ? asked : "*";
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var path = context.Request.Path.Value ?? "";
        var prefix = $"/{TenantId}";
        switch (path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : "")
        {
            case "/v2.0/.well-known/openid-configuration":
                await Json(response, Metadata(context.Request));
                return;
            case "/discovery/v2.0/keys":
                await Json(response, KeySet());
                return;
            case "/oauth2/v2.0/authorize" when HttpMethods.IsGet(context.Request.Method):
                await AuthorizePageAsync(context);
                return;
            case "/oauth2/v2.0/authorize/pick":
                Pick(context);
                return;
            case "/oauth2/v2.0/token" when HttpMethods.IsPost(context.Request.Method):
                await TokenAsync(context);
                return;
            case "/oauth2/v2.0/logout":
                response.Redirect(context.Request.Query["post_logout_redirect_uri"].ToString() is { Length: > 0 } back ? back : "about:blank");
                return;
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                return;
        }
    }

    private Dictionary<string, object> Metadata(HttpRequest request)
    {
        // The browser's endpoints are https; the key set is read by whoever reads this document, over its own scheme.
        var self = $"{request.Scheme}://127.0.0.1:{request.Host.Port}/{TenantId}";
        return new()
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = $"{Authority}/oauth2/v2.0/authorize",
            ["token_endpoint"] = $"{Authority}/oauth2/v2.0/token",
            ["end_session_endpoint"] = $"{Authority}/oauth2/v2.0/logout",
            ["jwks_uri"] = $"{self}/discovery/v2.0/keys",
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query", "fragment", "form_post" },
            ["subject_types_supported"] = new[] { "pairwise" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["scopes_supported"] = new[] { "openid", "profile", "email", "offline_access" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        };
    }

    private object KeySet()
    {
        var key = signingKey.ExportParameters(includePrivateParameters: false);
        return new
        {
            keys = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA", ["use"] = "sig", ["kid"] = KeyId, ["alg"] = "RS256",
                    ["n"] = Base64UrlEncoder.Encode(key.Modulus), ["e"] = Base64UrlEncoder.Encode(key.Exponent),
                },
            },
        };
    }

    /// <summary>The sign-in page: a link per person. The request must be a PKCE (S256) code request of the console.</summary>
    private async Task AuthorizePageAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["client_id"] != ConsoleClientId || query["response_type"] != "code" || query["code_challenge_method"] != "S256"
            || string.IsNullOrEmpty(query["code_challenge"]) || string.IsNullOrEmpty(query["state"]) || string.IsNullOrEmpty(query["redirect_uri"])
            || !query["scope"].ToString().Split(' ').Contains($"api://{Audience}/Ops.Use", StringComparer.Ordinal))
        {
            refused.Enqueue($"authorize: not a PKCE code request of the console for the hub's scope: {context.Request.QueryString}");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        pending[id] = new PendingSignIn(query["redirect_uri"]!, query["state"]!, query["nonce"].ToString(), query["code_challenge"]!, query["scope"].ToString(),
            query["response_mode"].ToString());
        var links = string.Join("", People.Select(p =>
            $"<li><a id=\"person-{p.Key}\" " +
            $"href=\"{Authority}/oauth2/v2.0/authorize/pick?request={id}&amp;person={p.Key}\">{WebUtility.HtmlEncode(p.Name)}</a></li>"));
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"<!doctype html><title>Local authority</title><h1>Pick an account</h1><ul>{links}</ul>");
    }

    private void Pick(HttpContext context)
    {
        var query = context.Request.Query;
        if (!pending.TryRemove(query["request"].ToString(), out var request) || People.FirstOrDefault(p => p.Key == query["person"]) is not { } person)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        codes[code] = new IssuedCode(request, person);
        var answer = $"code={code}&state={Uri.EscapeDataString(request.State)}&client_info={ClientInfo(person)}";
        context.Response.Redirect(request.ResponseMode == "query" ? $"{request.RedirectUri}?{answer}" : $"{request.RedirectUri}#{answer}");
    }

    private async Task TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        AuthorityPerson person;
        string? nonce = null;
        if (form["grant_type"] == "authorization_code")
        {
            if (!codes.TryRemove(form["code"].ToString(), out var issued))
            {
                await Refuse(context, "invalid_grant", "unknown or used code");
                return;
            }

            var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString())));
            if (challenge != issued.Request.CodeChallenge || form["redirect_uri"] != issued.Request.RedirectUri || form["client_id"] != ConsoleClientId)
            {
                await Refuse(context, "invalid_grant", "PKCE verifier, redirect URI or client does not match the code's request");
                return;
            }

            Interlocked.Increment(ref codeExchanges);
            person = issued.Person;
            nonce = issued.Request.Nonce;
        }
        else if (form["grant_type"] == "refresh_token")
        {
            if (!refreshTokens.TryRemove(form["refresh_token"].ToString(), out var holder) || form["client_id"] != ConsoleClientId)
            {
                await Refuse(context, "invalid_grant", "unknown refresh token");
                return;
            }

            Interlocked.Increment(ref refreshes);
            person = holder;
        }
        else
        {
            await Refuse(context, "unsupported_grant_type", form["grant_type"].ToString());
            return;
        }

        var refreshToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        refreshTokens[refreshToken] = person;
        var idClaims = new Dictionary<string, object>
        {
            ["aud"] = ConsoleClientId,
            ["oid"] = person.ObjectId,
            ["sub"] = person.ObjectId,
            ["tid"] = TenantId,
            ["name"] = person.Name,
            ["preferred_username"] = $"{person.Key}@xjna.example",
        };
        if (!string.IsNullOrEmpty(nonce))
        {
            idClaims["nonce"] = nonce;
        }

        await Json(context.Response, new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["scope"] = $"api://{Audience}/Ops.Use",
            ["expires_in"] = (int)AccessTokenLifetime.TotalSeconds,
            ["ext_expires_in"] = (int)AccessTokenLifetime.TotalSeconds,
            ["access_token"] = AccessToken(person),
            ["refresh_token"] = refreshToken,
            ["id_token"] = Sign(idClaims, TimeSpan.FromHours(1)),
            ["client_info"] = ClientInfo(person),
        });
    }

    private async Task Refuse(HttpContext context, string error, string why)
    {
        refused.Enqueue($"token: {why}");
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await Json(context.Response, new Dictionary<string, string> { ["error"] = error, ["error_description"] = why });
    }

    private string Sign(Dictionary<string, object> claims, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signingKey) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>Entra ID's <c>client_info</c>: the person's object id and tenant, which MSAL makes the account id of.</summary>
    private static string ClientInfo(AuthorityPerson person) =>
        Base64UrlEncoder.Encode(JsonSerializer.Serialize(new Dictionary<string, string> { ["uid"] = person.ObjectId, ["utid"] = TenantId }));

    private static Task Json(HttpResponse response, object body)
    {
        response.ContentType = "application/json";
        return response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private sealed record PendingSignIn(string RedirectUri, string State, string Nonce, string CodeChallenge, string Scope, string ResponseMode);

    private sealed record IssuedCode(PendingSignIn Request, AuthorityPerson Person);
}
