using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Resilience;

/// <summary>
/// The Functions host's side of <see cref="DependencyOutage"/>: an HTTP function that fails because storage or the task
/// hub is away answers 503 with <c>Retry-After</c> instead of 500. A middleware rather than a try/catch in every
/// function keeps the function classes thin and makes the rule hold for functions added later; the local host applies
/// the same <see cref="DependencyOutage.Of"/> where it invokes HTTP functions, since it has no worker pipeline.
/// </summary>
public sealed class DependencyOutageMiddleware(ILogger<DependencyOutageMiddleware> logger) : IFunctionsWorkerMiddleware
{
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
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (DependencyOutage.Of(ex, context.GetHttpContext()?.RequestAborted ?? context.CancellationToken) is { } outage)
        {
            outage.Log(logger, context.FunctionDefinition.Name, ex);
            // The ASP.NET Core integration's own middleware, which runs around this one, executes an IActionResult result.
            context.GetInvocationResult().Value = outage.ToResult();
        }
    }
}
