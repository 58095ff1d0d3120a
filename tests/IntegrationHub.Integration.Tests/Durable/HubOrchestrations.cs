using System.Collections.Concurrent;
using System.Text.Json;
using IntegrationHub.Functions;
using IntegrationHub.LocalHost;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Integration.Tests.Durable;

/// <summary>One call of a scripted activity: its input after the round trip through the task hub, and when it ran.</summary>
internal sealed record ActivityCall(string Name, object? Input, DateTimeOffset At);

/// <summary>
/// Stand-ins for the app's activities, registered under the real activity names, so a test can send an orchestrator
/// down any path and see which steps ran, in what order, with which inputs. Activities are not replayed, so a
/// script's own counter counts real attempts.
/// </summary>
internal sealed class ScriptedActivities
{
    private readonly ConcurrentQueue<ActivityCall> calls = new();
    private readonly List<Action<DurableTaskRegistry>> registrations = [];

    public IReadOnlyList<ActivityCall> Calls => [.. calls];

    public IReadOnlyList<string> Names => [.. calls.Select(c => c.Name)];

    public ScriptedActivities On<TInput, TOutput>(string name, Func<TInput, TOutput> script)
    {
        registrations.Add(registry => registry.AddActivityFunc<TInput, TOutput>(name, (_, input) =>
        {
            calls.Enqueue(new ActivityCall(name, input, DateTimeOffset.UtcNow));
            return script(input);
        }));
        return this;
    }

    /// <summary>An activity that returns nothing (a <c>Task</c> activity of the app): only recorded.</summary>
    public ScriptedActivities On<TInput>(string name) => On<TInput, object?>(name, _ => null);

    public IReadOnlyList<TInput> InputsOf<TInput>(string name) => [.. Calls.Where(c => c.Name == name).Select(c => (TInput)c.Input!)];

    public IReadOnlyList<ActivityCall> CallsOf(string name) => [.. Calls.Where(c => c.Name == name)];

    public void Register(DurableTaskRegistry registry)
    {
        foreach (var registration in registrations)
        {
            registration(registry);
        }
    }
}

/// <summary>
/// The app's real orchestrators on the in-memory Durable test host (real history and replay), registered exactly as
/// the local host registers them, with scripted activities in place of the storage-backed ones.
/// </summary>
internal sealed class HubOrchestrations : IAsyncDisposable
{
    private static readonly IReadOnlyList<FunctionDescriptor> Orchestrators =
        [.. FunctionCatalog.Discover(typeof(HubServiceCollectionExtensions).Assembly).Where(f => f.Trigger == TriggerKind.Orchestration)];

    private readonly DurableTaskTestHost host;

    private HubOrchestrations(DurableTaskTestHost host) => this.host = host;

    public DurableTaskClient Client => host.Client;

    public static async Task<HubOrchestrations> StartAsync(ScriptedActivities activities)
    {
        var host = await DurableTaskTestHost.StartAsync(
            registry =>
            {
                DurableFunctionRegistrar.Register(registry, Orchestrators);
                activities.Register(registry);
            },
            new DurableTaskTestHostOptions
            {
                // The host otherwise picks a random port and may collide with one in use.
                Port = Ports.Free(),

                // The local host's payload JSON (camelCase), so inputs, outputs and custom status look as they do there.
                ConfigureServices = services =>
                {
                    services.Configure<DurableTaskWorkerOptions>(Options.DefaultName, o => o.DataConverter = LocalHub.DataConverter);
                    services.Configure<DurableTaskClientOptions>(Options.DefaultName, o => o.DataConverter = LocalHub.DataConverter);
                },
            });
        return new HubOrchestrations(host);
    }

    /// <summary>Starts an orchestrator through the client, as a trigger would, and waits until it ends.</summary>
    public async Task<OrchestrationMetadata> RunAsync(string orchestrator, object? input, string instanceId)
    {
        await Client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions { InstanceId = instanceId });
        return await WaitForEndAsync(instanceId);
    }

    /// <summary>Polls the instance until it completed, failed or was terminated (quicker than the client's own wait).</summary>
    public async Task<OrchestrationMetadata> WaitForEndAsync(string instanceId, int withinSeconds = 30)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(withinSeconds);
        while (true)
        {
            var instance = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (instance is { IsCompleted: true })
            {
                return instance;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{instanceId} has not ended within {withinSeconds} s; it is {instance?.RuntimeStatus.ToString() ?? "not there"}.");
            }

            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();

    /// <summary>The <c>stage</c> an orchestrator last reported in its custom status, as ops see it.</summary>
    public static string? Stage(OrchestrationMetadata instance)
    {
        if (instance.SerializedCustomStatus is not { } status)
        {
            return null;
        }

        using var json = JsonDocument.Parse(status);
        return json.RootElement.TryGetProperty("stage", out var stage) ? stage.GetString() : null;
    }
}
