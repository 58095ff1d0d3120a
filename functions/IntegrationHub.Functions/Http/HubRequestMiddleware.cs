using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace IntegrationHub.Functions.Http;

/// <summary>
/// The Functions worker's side of <see cref="HubRequestPipeline"/>: runs it around every HTTP function, with the
/// policy the function's method declares, and leaves its answer as the invocation result, which the ASP.NET Core
/// integration's own middleware (around this one) executes. The local host calls the same pipeline itself.
/// </summary>
public sealed class HubRequestMiddleware(HubRequestPipeline pipeline) : IFunctionsWorkerMiddleware
{
    // Entry point ("Namespace.Type.Method") → declared policy; found by reflection once per function.
    private static readonly ConcurrentDictionary<string, AccessAttribute> Policies = new(StringComparer.Ordinal);

    /// <summary>Only HTTP triggers: an activity must fail as it is, so that its Durable retry policy sees the failure.</summary>
    public static bool AppliesTo(FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.FunctionDefinition.InputBindings.Values.Any(b => string.Equals(b.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase));
    }

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var httpContext = context.GetHttpContext()
            ?? throw new InvalidOperationException($"Function {context.FunctionDefinition.Name}: no HttpContext; the ASP.NET Core integration must "
                + $"run before this middleware.");
        var access = Policies.GetOrAdd(context.FunctionDefinition.EntryPoint, PolicyOf);
        var answer = await pipeline.RunAsync(httpContext, context.FunctionDefinition.Name, access, async () =>
        {
            await next(context).ConfigureAwait(false);
            return context.GetInvocationResult().Value as IActionResult
                ?? throw new InvalidOperationException($"Function {context.FunctionDefinition.Name} did not answer with an IActionResult.");
        }).ConfigureAwait(false);
        context.GetInvocationResult().Value = answer;
    }

    /// <summary>The policy of the method an entry point names, in this assembly: where every function of the app lives.</summary>
    public static AccessAttribute PolicyOf(string entryPoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryPoint);
        var dot = entryPoint.LastIndexOf('.');
        var type = dot > 0 ? typeof(HubRequestMiddleware).Assembly.GetType(entryPoint[..dot]) : null;
        var method = type?.GetMethod(entryPoint[(dot + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            ?? throw new InvalidOperationException($"No function method '{entryPoint}' in {typeof(HubRequestMiddleware).Assembly.GetName().Name}.");
        return AccessAttribute.Of(method);
    }
}
