using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Functions.Access;

/// <summary>
/// The response headers that keep a browser from doing more with an answer than it should: no content sniffing, no
/// framing, no referrer, and for pages a policy that runs only the app's own script and style files.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>Same origin only, no inline script or style, no framing: the pages' scripts are files of the allow-list.</summary>
    public const string PagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    /// <summary>
    /// The ops console's policy: the page policy, and with Entra ID sign-in on, MSAL.js may also fetch the tenant's
    /// metadata and tokens from the sign-in authority's origin (that one, never a wildcard). Signing in itself is a
    /// navigation of the whole tab, which no directive here restricts.
    /// </summary>
    public static string ConsolePolicy(string? authorityOrigin) => authorityOrigin is { Length: > 0 } origin
        ? PagePolicy.Replace("connect-src 'self'", $"connect-src 'self' {origin}", StringComparison.Ordinal)
        : PagePolicy;

    /// <summary>A JSON answer opened in a browser tab runs nothing, loads nothing and cannot be framed.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>Answers that needed a key may hold a department's or the ops view of the hub: no cache keeps them.</summary>
    public const string KeyedCaching = "no-store";

    /// <summary>A browser that saw an https answer of the hub's uses https only for it, for a year.</summary>
    public const string StrictTransport = "max-age=31536000; includeSubDomains";

    /// <summary>The ops console and the dashboard, and the files they load.</summary>
    public static void ForPage(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Common(response, PagePolicy);
    }

    /// <summary>The ops console page itself: <see cref="ConsolePolicy"/> for its sign-in authority, if any.</summary>
    public static void ForConsole(HttpResponse response, ConsoleSignIn? signIn)
    {
        ArgumentNullException.ThrowIfNull(response);
        Common(response, ConsolePolicy(signIn?.AuthorityOrigin));
    }

    /// <summary>
    /// An API answer. <paramref name="keyed"/>: the route wants a key, so the answer is not stored by any cache
    /// (published data sets keep their own caching).
    /// </summary>
    public static void ForApi(HttpResponse response, bool keyed)
    {
        ArgumentNullException.ThrowIfNull(response);
        Common(response, ApiPolicy);
        if (keyed)
        {
            response.Headers.CacheControl = KeyedCaching;
        }
    }

    private static void Common(HttpResponse response, string policy)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";

        // Behind App Service's front end TLS ends before the worker: the forwarded scheme tells. A browser ignores the
        // header on a plain-http answer, so a forged forwarding header gains nothing.
        var request = response.HttpContext.Request;
        if (request.IsHttps || string.Equals(request.Headers["X-Forwarded-Proto"].ToString().Split(',')[0].Trim(), "https", StringComparison.OrdinalIgnoreCase))
        {
            headers.StrictTransportSecurity = StrictTransport;
        }
    }
}
