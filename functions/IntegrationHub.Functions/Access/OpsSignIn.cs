using System.Net;
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

    public bool IsConfigured => !string.IsNullOrWhiteSpace(TenantId) && !string.IsNullOrWhiteSpace(Audience);

    public string Metadata => MetadataAddress is { Length: > 0 } address
        ? address
        : $"{Instance.TrimEnd('/')}/{TenantId}/v2.0/.well-known/openid-configuration";
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

    /// <summary>Set by App Service (and so Azure Functions) on every instance it runs; read from the app's configuration.</summary>
    public const string AzureInstanceSetting = "WEBSITE_INSTANCE_ID";

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);
    private readonly JsonWebTokenHandler handler = new();
    private readonly Lock gate = new();
    private (string Address, ConfigurationManager<OpenIdConnectConfiguration> Manager)? metadata;

    /// <summary>True on an App Service or Functions instance in Azure (the setting is there), false on a developer's machine.</summary>
    public bool RunsInAzure => !string.IsNullOrEmpty(configuration[AzureInstanceSetting]);

    public bool IsConfigured => options.CurrentValue.IsConfigured;

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
        services.AddOptions<EntraOptions>().Bind(configuration.GetSection(EntraOptions.SectionName));
        services.AddHttpClient(OpsSignIn.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<OpsSignIn>();
        return services;
    }
}
