using System.Globalization;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.LocalHost;

/// <summary>
/// Calls a function method the way the Functions worker does: a new instance per call from a DI scope (constructor
/// injection), the trigger value, <c>[DurableClient]</c> clients, the cancellation token and, for HTTP, route values
/// bound to same-named parameters.
/// </summary>
public static class FunctionInvoker
{
    public static async Task<object?> InvokeAsync(
        FunctionDescriptor function, IServiceProvider services, object? triggerValue, IReadOnlyDictionary<string, object?>? routeValues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        var arguments = function.Method.GetParameters().Select(p => Bind(function, p, services, triggerValue, routeValues, cancellationToken)).ToArray();
        var target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, function.Method.DeclaringType!);
        object? returned;
        try
        {
            returned = function.Method.Invoke(target, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }

        return await UnwrapAsync(returned).ConfigureAwait(false);
    }

    /// <summary>
    /// Calls an orchestrator. Unlike every other function, its continuations must stay on the orchestration's own
    /// synchronisation context: an await that hops to the thread pool finishes the orchestrator after the SDK has
    /// collected the episode's actions, and its completion is silently lost.
    /// </summary>
    public static Task<object?> InvokeOrchestratorAsync(FunctionDescriptor function, object context)
    {
        ArgumentNullException.ThrowIfNull(function);
        var arguments = function.Method.GetParameters().Select(p => p.Position == function.TriggerParameter.Position ? context : null).ToArray();
        object? returned;
        try
        {
            returned = function.Method.Invoke(null, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }

        return UnwrapOnContextAsync(returned);
    }

    private static async Task<object?> UnwrapOnContextAsync(object? returned)
    {
        if (returned is Task task)
        {
            await task.ConfigureAwait(true);
            var type = task.GetType();
            return type.IsGenericType && type.GetProperty("Result") is { } result && result.PropertyType.Name != "VoidTaskResult" ? result.GetValue(task) : null;
        }

        return returned;
    }

    /// <summary>The value of a Task&lt;T&gt; / ValueTask&lt;T&gt;, or the plain return value.</summary>
    public static async Task<object?> UnwrapAsync(object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task.ConfigureAwait(false);
                var type = task.GetType();
                return type.IsGenericType && type.GetProperty("Result") is { } result && result.PropertyType.Name != "VoidTaskResult" ? result.GetValue(task) : null;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                return null;
            default:
                if (returned?.GetType() is { IsGenericType: true } valueTaskType && valueTaskType.GetGenericTypeDefinition() == typeof(ValueTask<>))
                {
                    var asTask = (Task)valueTaskType.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!;
                    return await UnwrapAsync(asTask).ConfigureAwait(false);
                }

                return returned;
        }
    }

    /// <summary>The type a function returns once awaited (what an activity's output is).</summary>
    public static Type ResultType(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var type = method.ReturnType;
        if (type == typeof(Task) || type == typeof(ValueTask) || type == typeof(void))
        {
            return typeof(object);
        }

        return type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? type.GetGenericArguments()[0]
            : type;
    }

    private static object? Bind(
        FunctionDescriptor function, ParameterInfo parameter, IServiceProvider services, object? triggerValue, IReadOnlyDictionary<string, object?>? routeValues, CancellationToken cancellationToken)
    {
        if (parameter == function.TriggerParameter || parameter.Position == function.TriggerParameter.Position)
        {
            return triggerValue;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return cancellationToken;
        }

        if (parameter.IsDefined(typeof(DurableClientAttribute)))
        {
            return services.GetRequiredService<DurableTaskClient>();
        }

        if (routeValues is not null && parameter.Name is { } name && routeValues.TryGetValue(name, out var value))
        {
            return ConvertRouteValue(value, parameter.ParameterType);
        }

        if (parameter.HasDefaultValue)
        {
            return parameter.DefaultValue;
        }

        throw new NotSupportedException(
            $"Function {function.Name}: the local host cannot bind parameter '{parameter.Name}' ({parameter.ParameterType.Name}). "
            + "It binds the trigger, [DurableClient], CancellationToken and, for HTTP, route values of the same name.");
    }

    private static object? ConvertRouteValue(object? value, Type type)
    {
        if (value is null || type.IsInstanceOfType(value))
        {
            return value;
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        return Convert.ChangeType(value.ToString(), target, CultureInfo.InvariantCulture);
    }
}
