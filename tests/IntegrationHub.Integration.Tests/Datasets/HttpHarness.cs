using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Integration.Tests.Datasets;

/// <summary>What a client receives: the result executed against a real HttpContext, as the host would.</summary>
internal sealed record HttpAnswer(int Status, IHeaderDictionary Headers, string? ContentType, byte[] Body)
{
    public string? ETag => Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null;

    public string CacheControl => Headers.CacheControl.ToString();

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

internal static class HttpHarness
{
    // Executors for the results the functions return (file, status code, problem details).
    private static readonly IServiceProvider Services = new ServiceCollection().AddLogging().AddMvcCore().Services.BuildServiceProvider();

    public static HttpRequest Get(string pathAndQuery, string? ifNoneMatch = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
        if (ifNoneMatch is not null)
        {
            context.Request.Headers.IfNoneMatch = ifNoneMatch;
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    public static async Task<HttpAnswer> Execute(HttpRequest request, IActionResult result)
    {
        var context = request.HttpContext;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        return new HttpAnswer(
            context.Response.StatusCode, context.Response.Headers, context.Response.ContentType, ((MemoryStream)context.Response.Body).ToArray());
    }
}
