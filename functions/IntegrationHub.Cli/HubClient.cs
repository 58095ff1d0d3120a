using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace IntegrationHub.Cli;

// One answer of the hub: status, media type and body (parsed when it is JSON).
internal sealed record HubAnswer(int Status, string? MediaType, string Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public bool IsProblem => MediaType == "application/problem+json";

    // The body as JSON, or null when it is empty or not JSON.
    public JsonElement? Json
    {
        get
        {
            if (string.IsNullOrWhiteSpace(Body))
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(Body);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}

// Why a request did not get an answer (no connection, timeout, bad URL); the message says what to check.
internal sealed class HubUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

// The hub's HTTP API for the commands: one HttpClient for the process, a timeout per request, the key in the x-api-key
// header and never anywhere else (not in URLs, not in messages).
internal static class HubClient
{
    public const string DefaultUrl = "http://localhost:7071";
    public const string UrlVariable = "HUB_URL";
    public const string ApiKeyHeader = "x-api-key";

    // The per-request timeout is the command's (--timeout); the client's own would cut it short.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(10) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    // --hub: the hub's base URL, from the environment when not given.
    public static Option<string> HubOption() => new("--hub")
    {
        Description = $"The hub's base URL (default: ${UrlVariable}, else {DefaultUrl}).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : DefaultUrl,
        Recursive = true,
    };

    // --key: an API key. The environment's is read by ResolveKey when the command runs, not as the option's default:
    // help prints defaults, and must not print a key.
    public static Option<string?> KeyOption(string variable, string what) => new("--key")
    {
        Description = $"{what} (default: ${variable}). Sent in the '{ApiKeyHeader}' header only.",
        Recursive = true,
    };

    // The key given, else the one in variable, else null.
    public static string? ResolveKey(string? given, string variable) =>
        !string.IsNullOrEmpty(given) ? given : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } key ? key : null;

    public static Option<int> TimeoutOption() => new("--timeout")
    {
        Description = "Seconds to wait for each answer.",
        DefaultValueFactory = _ => 30,
        Recursive = true,
    };

    // The hub's base URL as a URI, or an error message.
    public static bool TryParseBase(string text, out Uri? hub, out string? error)
    {
        hub = null;
        error = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(parsed.Query))
        {
            error = $"--hub '{text}' is not an http(s) URL such as {DefaultUrl}.";
            return false;
        }

        hub = new Uri(parsed.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        return true;
    }

    // The hub's base URI from --hub and --timeout as given, or null once what is wrong is written to error.
    public static async Task<Uri?> ReadTargetAsync(string hubText, int timeoutSeconds, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (TryParseBase(hubText, out var hub, out var problem) && timeoutSeconds >= 1)
        {
            return hub;
        }

        await error.WriteLineAsync(problem ?? "--timeout is at least 1 second.").ConfigureAwait(false);
        return null;
    }

    // Sends one request to {hub}/api/{path} and reads the whole answer.
    // Throws HubUnreachableException: No answer: connection refused, DNS, TLS, or the timeout passed.
    public static Task<HubAnswer> SendAsync(
        HttpMethod method, Uri hub, string path, string? key, TimeSpan timeout, HttpContent? content, CancellationToken cancellationToken) =>
        SendAsync(method, hub, path, key, null, timeout, content, cancellationToken);

    // The same with an Entra ID access token (bearerToken), sent instead of the key when given.
    public static async Task<HubAnswer> SendAsync(
        HttpMethod method, Uri hub, string path, string? key, string? bearerToken, TimeSpan timeout, HttpContent? content, CancellationToken cancellationToken)
    {
        var url = new Uri(hub, "api/" + path);
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
        if (!string.IsNullOrEmpty(bearerToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }
        else if (!string.IsNullOrEmpty(key))
        {
            request.Headers.TryAddWithoutValidation(ApiKeyHeader, key);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            return new HubAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HubUnreachableException(
                string.Create(CultureInfo.InvariantCulture,
                    $"{method} {url.GetLeftPart(UriPartial.Path)}: no answer within {timeout.TotalSeconds:0} s (--timeout)."), ex);
        }
        catch (HttpRequestException ex)
        {
            throw new HubUnreachableException($"{method} {url.GetLeftPart(UriPartial.Path)}: {ex.Message.TrimEnd('.')}. Is the hub running there (--hub)?", ex);
        }
    }

    // Writes a problem answer (RFC 7807) as one line, error {status} {title}: {detail}, with the parameter at fault
    // when the hub names one; a non-problem error answer is shown as it came.
    public static void WriteProblem(TextWriter output, HubAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Json is { ValueKind: JsonValueKind.Object } problem && problem.TryGetProperty("title", out var title))
        {
            var detail = problem.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? $": {d.GetString()}" : "";
            var parameter = problem.TryGetProperty("parameter", out var p) && p.ValueKind == JsonValueKind.String ? $" (parameter '{p.GetString()}')" : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error {answer.Status} {title.GetString()}{detail}{parameter}"));
            return;
        }

        var text = answer.Body.Length > 500 ? answer.Body[..500] + "…" : answer.Body;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error {answer.Status}{(text.Length > 0 ? ": " + text.Trim() : "")}"));
    }

    // The exit code of an answer the command did not expect: the hub refused (1), the caller's credentials (2), the hub
    // failed (3).
    public static int ExitCodeOf(HubAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return answer.Status switch
        {
            401 or 403 => ExitCodes.Unusable,
            >= 500 => ExitCodes.InternalError,
            _ => ExitCodes.Refused,
        };
    }
}
