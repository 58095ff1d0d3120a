using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;

namespace IntegrationHub.LocalHost;

/// <summary>
/// Maps every HTTP-triggered function to an ASP.NET Core endpoint on the route the Functions host would give it
/// (<c>/api/{Route}</c>, the trigger's methods), passes the <see cref="HttpRequest"/>, and executes the returned
/// <see cref="IActionResult"/> against the response, as the ASP.NET Core integration of the isolated worker does.
/// Around each function it runs the app's <see cref="HubRequestPipeline"/> with the function's declared
/// <see cref="AccessPolicy"/>, as the app's worker middleware (<see cref="HubRequestMiddleware"/>) does under the
/// Functions host: access, rate limits, the push audit, security headers and the 503 rule are the app's, not this host's.
/// </summary>
public static class HttpFunctionEndpoints
{
    public const string RoutePrefix = "api";

    public static void Map(IEndpointRouteBuilder endpoints, IEnumerable<FunctionDescriptor> functions)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var function in functions.Where(f => f.Trigger == TriggerKind.Http))
        {
            if (function.TriggerParameter.ParameterType != typeof(HttpRequest))
            {
                throw new NotSupportedException($"Function {function.Name}: the local host serves HTTP triggers that take HttpRequest (the ASP.NET Core integration).");
            }

            // Read once, at start-up: a function without a policy stops the host rather than being served open.
            var access = AccessAttribute.Of(function.Method);
            var trigger = function.Http;
            var route = $"/{RoutePrefix}/{(trigger.Route ?? function.Name).TrimStart('/')}";
            var methods = trigger.Methods is { Length: > 0 } declared
                ? declared.Select(m => m.ToUpperInvariant()).ToArray()
                : ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
            endpoints.MapMethods(route, methods, context => InvokeAsync(function, access, context)).WithName(function.Name);
        }
    }

    private static async Task InvokeAsync(FunctionDescriptor function, AccessAttribute access, HttpContext context)
    {
        var pipeline = context.RequestServices.GetRequiredService<HubRequestPipeline>();
        var answer = await pipeline.RunAsync(context, function.Name, access, async () =>
        {
            var routeValues = context.Request.RouteValues.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
            var result = await FunctionInvoker.InvokeAsync(function, context.RequestServices, context.Request, routeValues, context.RequestAborted).ConfigureAwait(false);
            return AsActionResult(result);
        }).ConfigureAwait(false);
        await answer.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
    }

    /// <summary>The app's HTTP functions answer an <see cref="IActionResult"/>; anything else is served as the worker would.</summary>
    private static IActionResult AsActionResult(object? result) => result switch
    {
        IActionResult action => action,
        IResult minimal => new MinimalResult(minimal),
        null => new StatusCodeResult(StatusCodes.Status204NoContent),
        _ => new ObjectResult(result),
    };

    private sealed class MinimalResult(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
