using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHub.Core;
using IntegrationHub.Core.Reference;
using IntegrationHub.Core.Supply;
using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.Supply;

/// <summary>What <c>GET /api/supply</c> answers: the rules, the count per state, and the cells asked for.</summary>
public sealed record SupplyAnswer(
    [property: JsonPropertyName("timeZone"), Description("The departments' calendar, `+08:00` (China time): due days end at its midnight.")]
    string TimeZone,
    [property: JsonPropertyName("agreement"), Description("Where the due dates come from: the hub's agreement with the departments.")]
    string Agreement,
    [property: JsonPropertyName("rules")] IReadOnlyList<SupplyRule> Rules,
    [property: JsonPropertyName("counts"), Description("Cells per state: `pending`, `received`, `revised`, `late`, `missing`.")]
    IReadOnlyDictionary<string, int> Counts,
    [property: JsonPropertyName("cells")] IReadOnlyList<SupplyCell> Cells);

/// <summary>The supply calendar over HTTP, and the timer that announces late feeds.</summary>
public sealed class SupplyFunctions(HubCore core, SupplyReader reader, LateFeedAlerts alerts)
{
    /// <summary>Flat app setting of the check's NCRONTAB schedule (the Functions host resolves <c>%…%</c> in triggers).</summary>
    public const string LateCheckSchedule = "SupplyLateCheckCron";

    /// <summary>
    /// Anonymous like the data-set reads: which department's feed is due, late or missing is what the dashboards show.
    /// The body has no clock time in it, so its ETag changes only when a cell does (a feed arrives, a due time passes).
    /// </summary>
    [Function(nameof(GetSupply))]
    [ApiOperation(
        ApiTags.Datasets,
        "The supply calendar",
        "Per source and period, from each source's first expected period to the one under way (China time): when its feed "
        + "is due (the supply reference file) and whether it is pending, received, revised, late or missing, with every "
        + "accepted feed and when it arrived. Read without a key, like the data sets. The ETag changes when a cell does: a "
        + "feed arrives or a due day ends.",
        Conditional = true)]
    [ApiQuery("source", "Only this source.", Values = new[] { "statistics", "power-grid", "transport", "environment" })]
    [ApiQuery("from", "Only periods ending from the first month of this period on: `YYYY`, `YYYY-Qn` or `YYYY-MM`.")]
    [ApiQuery("to", "Only periods ending by the last month of this period: `YYYY`, `YYYY-Qn` or `YYYY-MM`.")]
    [ApiAnswer(200, "The calendar (`Cache-Control: no-cache`).", Body = typeof(SupplyAnswer))]
    [ApiProblem(400, "An unknown `source`, a `from` or `to` that is not a period, or `to` ending before `from` begins; "
        + "`parameter` and `rule` name them.")]
    [Access(AccessPolicy.Anonymous)]
    public async Task<IActionResult> GetSupply(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "supply")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (filter, refusal) = SupplyFilter.Parse(
            request.Query[SupplyFilter.SourceParameter], request.Query[SupplyFilter.FromParameter], request.Query[SupplyFilter.ToParameter]);
        if (refusal is not null)
        {
            return Problems.Create(new HubProblem(StatusCodes.Status400BadRequest, "Invalid supply query")
            {
                Detail = refusal.Detail, Parameter = refusal.Parameter, Rule = refusal.Rule,
            });
        }

        var cells = (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)).Where(filter!.Includes).ToList();
        var counts = Enum.GetValues<SupplyState>().ToDictionary(
            s => JsonSerializer.Serialize(s, HubJson.Options).Trim('"'), s => cells.Count(c => c.State == s), StringComparer.Ordinal);
        var supply = core.Reference.Supply;
        var rules = supply.Rules.Where(r => filter.Source is null || r.Source == filter.Source).ToList();
        var json = JsonSerializer.SerializeToUtf8Bytes(new SupplyAnswer(supply.TimeZone, supply.Agreement, rules, counts, cells), HubJson.Options);
        return HttpCaching.Send(request, json, HttpCaching.JsonContentType, HttpCaching.ETagOf(json), HttpCaching.RevalidateCaching);
    }

    /// <summary>Announces every feed that became overdue since the last check (<see cref="LateFeedAlerts"/>).</summary>
    [Function(nameof(CheckLateFeeds))]
    public Task CheckLateFeeds([TimerTrigger("%" + LateCheckSchedule + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        alerts.CheckAsync(cancellationToken);
}
