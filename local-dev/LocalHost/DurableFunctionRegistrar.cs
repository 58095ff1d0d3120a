using System.Text.Json;
using Microsoft.DurableTask;

namespace IntegrationHub.LocalHost;

/// <summary>
/// Registers the app's orchestrator and activity functions with a Durable Task SDK worker. Used by the local host
/// and by the tests on the in-memory Durable test host, so both run exactly the app's functions.
/// </summary>
public static class DurableFunctionRegistrar
{
    public static void Register(DurableTaskRegistry registry, IEnumerable<FunctionDescriptor> functions)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var function in functions)
        {
            switch (function.Trigger)
            {
                case TriggerKind.Orchestration:
                    if (!function.Method.IsStatic)
                    {
                        throw new NotSupportedException($"Orchestrator {function.Name} must be static here: an orchestrator holds no services (replay safety).");
                    }

                    registry.AddOrchestrator(function.Name, () => new FunctionOrchestrator(function));
                    break;
                case TriggerKind.Activity:
                    registry.AddActivity(function.Name, services => new FunctionActivity(function, services));
                    break;
            }
        }
    }

    /// <summary>
    /// An orchestrator method reads its input with <c>GetInput&lt;T&gt;()</c>, so reflection cannot see T. The input is
    /// taken as raw JSON and converted when the method asks for it, as the Functions Durable extension does.
    /// </summary>
    private sealed class FunctionOrchestrator(FunctionDescriptor function) : ITaskOrchestrator
    {
        public Type InputType => typeof(JsonElement?);

        public Type OutputType => FunctionInvoker.ResultType(function.Method);

        public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) =>
            FunctionInvoker.InvokeOrchestratorAsync(function, new FunctionOrchestrationContext(context, input as JsonElement?));
    }

    private sealed class FunctionActivity(FunctionDescriptor function, IServiceProvider services) : ITaskActivity
    {
        public Type InputType => function.TriggerParameter.ParameterType;

        public Type OutputType => FunctionInvoker.ResultType(function.Method);

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            await using var scope = services.CreateAsyncScope();
            return await FunctionInvoker.InvokeAsync(function, scope.ServiceProvider, input, null, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
