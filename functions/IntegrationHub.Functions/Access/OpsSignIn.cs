using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using IntegrationHub.Functions.Resilience;

namespace IntegrationHub.Functions.Access;

/// <summary>
/// Where ops sign in (settings <c>Access__Entra__*</c>): the Entra ID tenant and the audience of the hub's app
/// registration. Unset, no bearer token is accepted.
/// </summary>
public sealed class EntraOptions
{
    public const string SectionName = "Access:Entra";

    /// <summary>The directory (tenant) id; tokens must be issued by this tenant.</summary>
    public string? TenantId { get; set; }

    /// <summary>The token's <c>aud</c>: the app registration's client id (v2 tokens) or its Application ID URI (v1).</summary>
    public string? Audience { get; set; }

    /// <summary>The cloud's sign-in host.</summary>
    public string Instance { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>The OpenID metadata document; by default the tenant's v2.0 one under <see cref="Instance"/>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>
    /// The client id of the app registration the ops console signs in with (platform "Single-page application", its
    /// redirect URI <c>https://{host}/api/console</c>); it may be the hub's own registration. Unset, the console offers
    /// no Entra ID sign-in.
    /// </summary>
    public string? ConsoleClientId { get; set; }

    /// <summary>The scope the console asks a token for; by default the delegated scope <c>Ops.Use</c> of <see cref="Audience"/>.</summary>
    public string? Scope { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(TenantId) && !string.IsNullOrWhiteSpace(Audience);

    /// <summary>Where people sign in: the tenant under <see cref="Instance"/>.</summary>
    public string Authority => $"{Instance.TrimEnd('/')}/{TenantId}";

    /// <summary>The console's sign-in, or null when it offers none (no console client id, or no tenant to check tokens).</summary>
    public ConsoleSignIn? Console => IsConfigured && ConsoleClientId is { Length: > 0 } clientId
        ? new ConsoleSignIn(clientId, Authority, Scope is { Length: > 0 } scope ? scope : DefaultScope(Audience!))
        : null;

    /// <summary><c>api://{client id}/Ops.Use</c>, or <c>{Application ID URI}/Ops.Use</c> when the audience is one.</summary>
    public static string DefaultScope(string audience)
    {
        ArgumentNullException.ThrowIfNull(audience);
        return audience.Contains("://", StringComparison.Ordinal) ? $"{audience.TrimEnd('/')}/Ops.Use" : $"api://{audience}/Ops.Use";
    }

    public string Metadata => MetadataAddress is { Length: > 0 } address
        ? address
        : $"{Instance.TrimEnd('/')}/{TenantId}/v2.0/.well-known/openid-configuration";
}

/// <summary>What the ops console needs to sign people in (all public: a browser sees them in the sign-in request).</summary>
/// <param name="ClientId">The console's app registration.</param>
/// <param name="Authority">The tenant's sign-in address, <c>https://login.microsoftonline.com/{tenant}</c>.</param>
/// <param name="Scope">The scope of the hub's API the console asks a token for.</param>
public sealed record ConsoleSignIn(string ClientId, string Authority, string Scope)
{
    /// <summary>The origin the browser fetches the tenant's metadata and tokens from: the console's CSP allows it.</summary>
    public string AuthorityOrigin => new Uri(Authority).GetLeftPart(UriPartial.Authority);
}

// Entra ID settings that must stop the start, each named: a sign-in host that is not https (MSAL.js refuses one, and
// tokens would travel in clear), a tenant id that is not a GUID or domain name (it becomes part of the authority's
// path), and a console client id without a tenant and audience to check its tokens or that is not a GUID.
internal sealed partial class EntraOptionsValidation : IValidateOptions<EntraOptions>
{
    private const string Prefix = "Access__Entra__";

    public ValidateOptionsResult Validate(string? name, EntraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Instance, UriKind.Absolute, out var instance) || instance.Scheme != Uri.UriSchemeHttps
            || instance.Query.Length > 0 || instance.Fragment.Length > 0)
        {
            failures.Add($"{Prefix}Instance must be an absolute https address without query or fragment (the cloud's sign-in host).");
        }

        if (options.TenantId is { Length: > 0 } tenant && !TenantName().IsMatch(tenant))
        {
            failures.Add($"{Prefix}TenantId must be a directory id (GUID) or a domain name.");
        }

        if (options.ConsoleClientId is { Length: > 0 } clientId)
        {
            if (!Guid.TryParse(clientId, out _))
            {
                failures.Add($"{Prefix}ConsoleClientId must be an application (client) id, a GUID.");
            }

            if (!options.IsConfigured)
            {
                failures.Add($"{Prefix}ConsoleClientId needs {Prefix}TenantId and {Prefix}Audience: without them no token the console gets is accepted.");
            }
        }

        if (options.Scope is { Length: > 0 } scope && (scope.Length > 256 || scope.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            failures.Add($"{Prefix}Scope must be one scope (no spaces), at most 256 characters, e.g. api://<client id>/Ops.Use.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253}[A-Za-z0-9])?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TenantName();
}

/// <summary>The app roles of the hub's app registration that admit a person to the ops surface.</summary>
public static class OpsRoles
{
    /// <summary>May read: the GET routes of the ops surface.</summary>
    public const string Reader = "Ops.Reader";

    /// <summary>May read and act: replay, rewind, terminate, purge, reprocess, reconsolidate, pull.</summary>
    public const string Operator = "Ops.Operator";
}

/// <summary>A signed-in person (or app): the token's <c>oid</c> and <c>name</c>, and what its roles allow.</summary>
public sealed record OpsPerson(string ObjectId, string? Name, bool MayRead, bool MayAct);

/// <summary>A checked bearer token: the person, or why it was refused (for the log, not the caller).</summary>
public sealed record SignInResult(OpsPerson? Person, string? Refusal);

/// <summary>
/// Checks ops bearer tokens issued by Entra ID: signature against the tenant's published keys (read from its
/// OpenID metadata through a <see cref="ConfigurationManager{T}"/>, which caches them and refreshes on a key it does
/// not know), issuer as the metadata names it, audience, lifetime. Also knows whether the app runs in Azure, where the
/// ops key is refused unless <c>Access__AllowOpsKeyInAzure</c> says otherwise.
/// </summary>
public sealed partial class OpsSignIn(IOptionsMonitor<EntraOptions> options, IHttpClientFactory httpClients,
    IConfiguration configuration, ILogger<OpsSignIn> logger)
{
    public const string HttpClientName = "entra-metadata";

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);
    private readonly JsonWebTokenHandler handler = new();
    private readonly Lock gate = new();
    private (string Address, ConfigurationManager<OpenIdConnectConfiguration> Manager)? metadata;

    public bool RunsInAzure => HubSettings.RunsInAzure(configuration);

    public bool IsConfigured => options.CurrentValue.IsConfigured;

    /// <summary>The console's Entra ID sign-in, or null when it has none.</summary>
    public ConsoleSignIn? Console => options.CurrentValue.Console;

    /// <exception cref="DependencyUnavailableException">The tenant's metadata or keys could not be read (503).</exception>
    public async Task<SignInResult> CheckAsync(string token, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!settings.IsConfigured)
        {
            return new(null, "no Entra ID tenant is configured (Access__Entra__TenantId, Access__Entra__Audience)");
        }

        var manager = Manager(settings.Metadata);
        var result = await ValidateAsync(manager, settings, token, cancellationToken).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The tenant may have rolled its keys since they were read: read them again once.
            manager.RequestRefresh();
            result = await ValidateAsync(manager, settings, token, cancellationToken).ConfigureAwait(false);
        }

        if (!result.IsValid)
        {
            return new(null, result.Exception?.GetType().Name ?? "invalid token");
        }

        var identity = result.ClaimsIdentity;
        if (identity.FindFirst("oid")?.Value is not { Length: > 0 } objectId)
        {
            return new(null, "the token names no object id (oid)");
        }

        var roles = identity.FindAll("roles").Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var mayAct = roles.Contains(OpsRoles.Operator);
        return new(new OpsPerson(objectId, identity.FindFirst("name")?.Value, mayAct || roles.Contains(OpsRoles.Reader), mayAct), null);
    }

    private async Task<TokenValidationResult> ValidateAsync(
        ConfigurationManager<OpenIdConnectConfiguration> manager, EntraOptions settings, string token, CancellationToken cancellationToken)
    {
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            LogMetadataUnavailable(logger, ex, settings.Metadata);
            throw new DependencyUnavailableException(DependencyOutage.SignIn, "the sign-in metadata could not be read", ex);
        }

        return await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = settings.Audience,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
        }).ConfigureAwait(false);
    }

    // One manager per metadata address, so the keys are cached across requests; a changed address starts afresh.
    private ConfigurationManager<OpenIdConnectConfiguration> Manager(string address)
    {
        lock (gate)
        {
            if (metadata is { } current && current.Address == address)
            {
                return current.Manager;
            }

            // Https only, except a metadata document on this machine (local tests and development).
            var loopback = Uri.TryCreate(address, UriKind.Absolute, out var uri)
                && (uri.IsLoopback || IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
            var retriever = new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = !loopback };
            var manager = new ConfigurationManager<OpenIdConnectConfiguration>(address, new OpenIdConnectConfigurationRetriever(), retriever);
            metadata = (address, manager);
            return manager;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The Entra ID metadata at {Address} could not be read; ops tokens cannot be checked")]
    private static partial void LogMetadataUnavailable(ILogger logger, Exception exception, string address);
}

public static class OpsSignInServiceCollectionExtensions
{
    /// <summary>Ops sign-in: the Entra ID settings, the metadata's HTTP client and the token checks.</summary>
    public static IServiceCollection AddOpsSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EntraOptions>().Bind(configuration.GetSection(EntraOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EntraOptions>, EntraOptionsValidation>();
        services.AddHttpClient(OpsSignIn.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<OpsSignIn>();
        return services;
    }
}
