using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.LocalHost;

public enum TriggerKind
{
    Http,
    Timer,
    Orchestration,
    Activity,
}

/// <summary>One <c>[Function]</c> method of the app, as the Functions build would list it in functions.metadata.</summary>
public sealed record FunctionDescriptor(string Name, MethodInfo Method, TriggerKind Trigger, ParameterInfo TriggerParameter)
{
    public HttpTriggerAttribute Http => TriggerParameter.GetCustomAttribute<HttpTriggerAttribute>()!;

    public TimerTriggerAttribute Timer => TriggerParameter.GetCustomAttribute<TimerTriggerAttribute>()!;
}

/// <summary>
/// Finds the app's functions from its <c>[Function]</c> attributes, the same source the Functions SDK generates
/// functions.metadata from, so nothing is listed twice by hand. A trigger this host cannot run stops start-up
/// rather than being silently skipped.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionDescriptor> Discover(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var functions = new List<FunctionDescriptor>();
        foreach (var type in assembly.GetExportedTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var function = method.GetCustomAttribute<FunctionAttribute>();
                if (function is null)
                {
                    continue;
                }

                functions.Add(Describe(function.Name, method));
            }
        }

        var duplicates = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException($"Function names must be unique; used twice: {string.Join(", ", duplicates)}.");
        }

        return functions;
    }

    private static FunctionDescriptor Describe(string name, MethodInfo method)
    {
        foreach (var parameter in method.GetParameters())
        {
            TriggerKind? kind =
                parameter.IsDefined(typeof(HttpTriggerAttribute)) ? TriggerKind.Http
                : parameter.IsDefined(typeof(TimerTriggerAttribute)) ? TriggerKind.Timer
                : parameter.IsDefined(typeof(OrchestrationTriggerAttribute)) ? TriggerKind.Orchestration
                : parameter.IsDefined(typeof(ActivityTriggerAttribute)) ? TriggerKind.Activity
                : null;
            if (kind is { } trigger)
            {
                return new FunctionDescriptor(name, method, trigger, parameter);
            }
        }

        throw new NotSupportedException(
            $"Function {name} ({method.DeclaringType?.Name}.{method.Name}) has a trigger the local host does not run; it runs HTTP, timer, orchestration and activity triggers.");
    }
}
