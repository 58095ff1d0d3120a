using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Grpc.Core;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Consolidation;

/// <summary>
/// After a methodology or reference-value upgrade every stored period is consolidated again (contract 2.0): each
/// ConsolidatePeriod rebuilds only a version on an older basis, so running this twice costs nothing but the runs.
/// </summary>
public sealed class Reconsolidation(DatasetStore datasets, ConsolidationDemands demands, AuditLog audit)
{
    private const string Action = "reconsolidate";

    public async Task<OpsAnswer> StartAllAsync(DurableTaskClient client, OpsActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(actor);
        var periods = new List<ReconsolidationPeriod>();
        foreach (var period in (await datasets.ListPeriodsAsync(cancellationToken).ConfigureAwait(false)).Order(StringComparer.Ordinal))
        {
            var current = await datasets.GetLatestAsync(period, cancellationToken).ConfigureAwait(false);
            var methodology = current?.ToDocument().MethodologyVersion;
            var instanceId = InstanceIds.Consolidation(period);
            await audit.RecordBeforeAsync(actor, Action, instanceId, period, cancellationToken).ConfigureAwait(false);
            string outcome;
            try
            {
                // A run under way counts the request and builds once more when it ends, on this build's basis.
                outcome = await demands.RequestAsync(client, period, cancellationToken).ConfigureAwait(false) switch
                {
                    DemandOutcome.Started => "started",
                    DemandOutcome.Joined => "running",
                    _ => "failed",
                };
            }
            catch (Exception ex) when (ex is RpcException or Azure.RequestFailedException or InvalidOperationException)
            {
                // One period that cannot be started must not stop the others; the answer and the audit log say which.
                outcome = "error";
            }

            periods.Add(new ReconsolidationPeriod(period, instanceId, current?.Version, methodology, outcome, InstanceIds.StatusUrl(instanceId)));
            await audit.RecordAsync(actor, Action, instanceId, outcome == "error" ? "error" : "accepted",
                outcome == "error" ? StatusCodes.Status500InternalServerError : StatusCodes.Status202Accepted,
                string.Create(CultureInfo.InvariantCulture, $"{period} v{current?.Version} ({methodology}) -> {DatasetMethodology.CurrentVersion}: {outcome}"),
                cancellationToken).ConfigureAwait(false);
        }

        var report = new ReconsolidationReport(
            DatasetMethodology.CurrentVersion,
            periods.Count,
            periods.Count(p => p.Outcome == "started"),
            periods.Count(p => p.Outcome == "running"),
            periods.Count(p => p.Outcome == "error"),
            periods.Count(p => p.MethodologyVersion is not null && p.MethodologyVersion != DatasetMethodology.CurrentVersion),
            periods);
        return OpsAnswer.Accepted(report,
            "/api/ops/instances?name=" + nameof(ConsolidatePeriodOrchestration.ConsolidatePeriod) + "&prefix=" + InstanceIds.ConsolidationPrefix);
    }
}

/// <summary>One period that <c>POST /api/ops/reconsolidate</c> asked to consolidate again.</summary>
public sealed record ReconsolidationPeriod(
    string Period,
    string InstanceId,
    [property: Description("The version current when asked.")] int? CurrentVersion,
    [property: Description("That version's methodology (`1.0` before data set 2.0).")] string? MethodologyVersion,
    [property: AllowedValues("started", "running", "error")] string Outcome,
    [property: Description("The consolidation's status URL.")] string Status);

[Description("What a re-consolidation started.")]
public sealed record ReconsolidationReport(
    [property: Description("The methodology this build consolidates under.")] string MethodologyVersion,
    [property: Description("Periods with a stored data set.")] int Periods,
    int Started,
    [property: Description("Periods whose consolidation was already running (it builds under the current methodology too).")] int Running,
    int Errors,
    [property: Description("Periods whose current version is of an older methodology.")] int Outdated,
    IReadOnlyList<ReconsolidationPeriod> Results);
