using IntegrationHub.Functions;
using IntegrationHub.Functions.Resilience;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;

namespace IntegrationHub.LocalHost;

/// <summary>
/// Maps every HTTP-triggered function to an ASP.NET Core endpoint on the route the Functions host would give it
/// (<c>/api/{Route}</c>, the trigger's methods), passes the <see cref="HttpRequest"/>, and executes the returned
/// <see cref="IActionResult"/> against the response, as the ASP.NET Core integration of the isolated worker does.
/// A function that fails because storage or the task hub is away answers 503 by <see cref="DependencyOutage"/>, the
/// rule the Functions host applies in its worker middleware (<see cref="DependencyOutageMiddleware"/>).
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

            var trigger = function.Http;
            var route = $"/{RoutePrefix}/{(trigger.Route ?? function.Name).TrimStart('/')}";
            var methods = trigger.Methods is { Length: > 0 } declared
                ? declared.Select(m => m.ToUpperInvariant()).ToArray()
                : ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
            endpoints.MapMethods(route, methods, context => InvokeAsync(function, context)).WithName(function.Name);
        }
    }

    private static async Task InvokeAsync(FunctionDescriptor function, HttpContext context)
    {
        var routeValues = context.Request.RouteValues.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        object? result;
        try
        {
            result = await FunctionInvoker.InvokeAsync(function, context.RequestServices, context.Request, routeValues, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (DependencyOutage.Of(ex, context.RequestAborted) is { } outage)
        {
            outage.Log(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HttpFunctionEndpoints)), function.Name, ex);
            result = outage.ToResult();
        }

        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
                break;
            case IResult minimal:
                await minimal.ExecuteAsync(context).ConfigureAwait(false);
                break;
            case null:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                await context.Response.WriteAsJsonAsync(result, result.GetType(), HubSerialization.Options, context.RequestAborted).ConfigureAwait(false);
                break;
        }
    }
}
