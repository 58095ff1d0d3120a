using IntegrationHub.Core;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Supply;
using IntegrationHub.Functions.Storage;

namespace IntegrationHub.Functions.Supply;

/// <summary>The supply calendar as of the hub's clock: the reference rules over the period ledger's feeds.</summary>
public sealed class SupplyReader(HubCore core, PeriodLedger ledger, TimeProvider clock)
{
    /// <summary>Every cell from each rule's first period to the period under way.</summary>
    public async Task<IReadOnlyList<SupplyCell>> ReadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rules = core.Reference.Supply.Rules;
        var firstYear = rules.Min(r => Period.Parse(r.FirstPeriod).Year);
        var feeds = new List<SuppliedFeed>();
        // The ledger keeps a period's feeds under the period's year; years before every rule's first are history.
        foreach (var year in (await ledger.ListYearsAsync(cancellationToken).ConfigureAwait(false)).Where(y => y >= firstYear))
        {
            var document = await ledger.ReadAsync(year, cancellationToken).ConfigureAwait(false);
            feeds.AddRange(document.Entries.Select(e => new SuppliedFeed(e.Source, e.Period, e.FeedId, e.Revision, e.ReceivedAt)));
        }

        return SupplyCalendar.Build(rules, feeds, now);
    }
}
