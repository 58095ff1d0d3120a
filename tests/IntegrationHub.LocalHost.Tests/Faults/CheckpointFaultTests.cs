using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Grpc.Net.Client;
using IntegrationHub.LocalHost;
using IntegrationHub.TestSupport;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.LocalHost.Tests.Faults;

/// <summary>
/// What the task hub does when an episode's checkpoint fails after its messages went out (storage going away between
/// the queue writes and the history write, as in a storage outage): the episode runs again, later, and the step the
/// first run started still answers, matched to whatever the second run scheduled under the same task id. This is how
/// the ProcessFeed polling loop, whose next step depended on the clock, once read a null consolidation progress
/// (docs/reliability.md, "A null activity result after an outage"). The orchestrator here has only that loop's shape;
/// chosen from recorded answers only, as the app's orchestrators choose, the same fault costs one more run of the step.
/// </summary>
public sealed class CheckpointFaultTests
{
    private const string Orchestrator = "StepAfterAFailedCheckpoint";
    private const string Mark = "MarkDone";
    private const string Ask = "AskProgress";

    private sealed record Progress(string State);

    private sealed record Outcome(OrchestrationMetadata? Ended, int FailedWrites, int Marks, int Asks);

    [Fact]
    public async Task StepChosenByTheClock_HistoryWriteFailsAfterItWentOut_TheEscapedStepsNullAnswersTheOtherStep()
    {
        // Ask is held until the run ends: whatever answers it is not Ask.
        var outcome = await RunWithFirstCheckpointFailingAsync(chooseByClock: true);

        Assert.Equal(1, outcome.FailedWrites);
        Assert.True(outcome.Ended is not null, "The run should have ended while Ask was still held.");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, outcome.Ended.RuntimeStatus);
        // The orchestrator's own dereference, not a step's failure: Ask was answered with the escaped step's null.
        Assert.Equal("Object reference not set to an instance of an object.", outcome.Ended.SerializedOutput);
        // The step of the run whose checkpoint failed ran once, though no recorded history ever scheduled it.
        Assert.Equal(1, outcome.Marks);
    }

    [Fact]
    public async Task StepChosenFromRecordedAnswersOnly_HistoryWriteFailsAfterItWentOut_TheEscapedStepAnswersTheSameStep()
    {
        var outcome = await RunWithFirstCheckpointFailingAsync(chooseByClock: false);

        Assert.Equal(1, outcome.FailedWrites);
        Assert.True(outcome.Ended is not null, "The run should have ended.");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, outcome.Ended.RuntimeStatus);
        Assert.Equal("\"Included\"", outcome.Ended.SerializedOutput);
        // Both runs of the episode asked: the escaped ask and the recorded one, under the same id; one answer is kept.
        Assert.Equal((0, 2), (outcome.Marks, outcome.Asks));
    }

    private static async Task<Outcome> RunWithFirstCheckpointFailingAsync(bool chooseByClock)
    {
        using var azurite = await AzuriteInstance.StartAsync();
        var fault = new HistoryWriteFault();
        await using var sidecar = await DurableSidecar.StartAsync(azurite.ConnectionString, "checkpointfault", null, fault, CancellationToken.None);
        using var channel = GrpcChannel.ForAddress(sidecar.Address);

        var marks = 0;
        var asks = 0;
        var askStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var askMayAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!chooseByClock)
        {
            askMayAnswer.SetResult();
        }

        DateTime? firstRun = null;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(channel);
            worker.AddTasks(tasks =>
            {
                tasks.AddOrchestratorFunc<string?, string>(Orchestrator, async (context, _) =>
                {
                    // Its first run's checkpoint is the one that fails. Like the old loop (a wait ran out or not), the
                    // clock-chosen step depends on the episode's clock, which the second run reads later.
                    if (firstRun is null)
                    {
                        firstRun = context.CurrentUtcDateTime;
                        fault.FailNextHistoryWrite();
                    }

                    if (chooseByClock && context.CurrentUtcDateTime <= firstRun)
                    {
                        await context.CallActivityAsync(Mark);
                        return "marked";
                    }

                    var progress = await context.CallActivityAsync<Progress>(Ask);
                    return progress.State;
                });
                // Both answer as the local host's function activities do; MarkDone as a Task-returning step (null).
                tasks.AddActivity(Mark, _ => new Step(() =>
                {
                    Interlocked.Increment(ref marks);
                    return Task.FromResult<object?>(null);
                }));
                tasks.AddActivity(Ask, _ => new Step(async () =>
                {
                    Interlocked.Increment(ref asks);
                    askStarted.TrySetResult();
                    await askMayAnswer.Task;
                    return new Progress("Included");
                }));
            });
        });
        builder.Services.AddDurableTaskClient(client => client.UseGrpc(channel));
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<DurableTaskClient>();

        try
        {
            var instanceId = await client.ScheduleNewOrchestrationInstanceAsync(
                Orchestrator, input: null, new StartOrchestrationOptions("feed:checkpoint-fault"));
            await askStarted.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var ended = await WaitUntilEndedAsync(client, instanceId, TimeSpan.FromSeconds(60));
            return new Outcome(ended, fault.Failed, Volatile.Read(ref marks), Volatile.Read(ref asks));
        }
        finally
        {
            askMayAnswer.TrySetResult();
            await host.StopAsync();
        }
    }

    private static async Task<OrchestrationMetadata?> WaitUntilEndedAsync(DurableTaskClient client, string instanceId, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (instance is { IsCompleted: true })
            {
                return instance;
            }

            await Task.Delay(200);
        }

        return null;
    }

    private sealed class Step(Func<Task<object?>> run) : ITaskActivity
    {
        public Type InputType => typeof(string);

        public Type OutputType => typeof(object);

        public Task<object?> RunAsync(TaskActivityContext context, object? input) => run();
    }

    /// <summary>Fails the task hub's next history write (a table batch), once, as storage going away would.</summary>
    private sealed class HistoryWriteFault : HttpPipelineSynchronousPolicy
    {
        private int armed;
        private int failed;

        public int Failed => Volatile.Read(ref failed);

        public void FailNextHistoryWrite() => Volatile.Write(ref armed, 1);

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && Interlocked.Exchange(ref armed, 0) == 1)
            {
                Interlocked.Increment(ref failed);
                throw new RequestFailedException(503, "Injected: the table service went away before the episode's history was written.");
            }
        }
    }
}
