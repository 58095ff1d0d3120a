using IntegrationHub.Functions.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Ops;

/// <summary>One orchestration as ops see it.</summary>
public sealed record InstanceView(
    string InstanceId, string Name, string Status, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, string? CustomStatus, string? Output, string? Failure);

/// <summary>Ops watch orchestrations: list with filters, and one instance in detail.</summary>
public sealed class OpsInstanceFunctions(IOptionsMonitor<AccessOptions> access)
{
    [Function(nameof(ListInstances))]
    public async Task<IActionResult> ListInstances(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/instances")] HttpRequest request, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (OpsAccess.Deny(access.CurrentValue, request) is { } denied)
        {
            return denied;
        }

        var statuses = new List<OrchestrationRuntimeStatus>();
        foreach (var text in request.Query["status"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Enum.TryParse<OrchestrationRuntimeStatus>(text, ignoreCase: true, out var status))
            {
                return Problems.Create(StatusCodes.Status400BadRequest, "Invalid status", $"'{text}' is not a status; use {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.",
                    new Dictionary<string, object?> { ["parameter"] = "status" });
            }

            statuses.Add(status);
        }

        DateTimeOffset? from = null, to = null;
        foreach (var (name, assign) in new (string, Action<DateTimeOffset>)[] { ("from", v => from = v), ("to", v => to = v) })
        {
            if (request.Query[name].FirstOrDefault() is { Length: > 0 } text)
            {
                if (!DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var value))
                {
                    return Problems.Create(StatusCodes.Status400BadRequest, "Invalid time", $"'{text}' is not a date-time; use RFC 3339, e.g. 2025-01-31T00:00:00Z.",
                        new Dictionary<string, object?> { ["parameter"] = name });
                }

                assign(value);
            }
        }

        var query = new OrchestrationQuery
        {
            Statuses = statuses.Count > 0 ? statuses : null,
            InstanceIdPrefix = request.Query["prefix"].FirstOrDefault(),
            CreatedFrom = from,
            CreatedTo = to,
            FetchInputsAndOutputs = true,
        };
        var instances = new List<InstanceView>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            instances.Add(View(instance));
        }

        return new OkObjectResult(instances.OrderByDescending(i => i.CreatedAt).ToList());
    }

    [Function(nameof(GetInstance))]
    public async Task<IActionResult> GetInstance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/instances/{instanceId}")] HttpRequest request, string instanceId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (OpsAccess.Deny(access.CurrentValue, request) is { } denied)
        {
            return denied;
        }

        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        return instance is null
            ? Problems.Create(StatusCodes.Status404NotFound, "Unknown instance", $"No orchestration has the id '{instanceId}'.")
            : new OkObjectResult(View(instance));
    }

    private static InstanceView View(OrchestrationMetadata instance) => new(
        instance.InstanceId, instance.Name, instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt, instance.SerializedCustomStatus,
        instance.SerializedOutput, instance.FailureDetails?.ErrorMessage ?? (instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed ? instance.SerializedOutput : null));
}
