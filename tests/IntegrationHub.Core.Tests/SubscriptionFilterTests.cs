using IntegrationHub.Core.Publishing;
using IntegrationHub.Core.Reference;
using IntegrationHub.Core.Tests.Support;

namespace IntegrationHub.Core.Tests;

public class SubscriptionFilterTests
{
    private static readonly SubscriberFilter YueluEnergy = new(null, ["430104"], ["energy."]);

    [Fact]
    public void SubscribersFile_SqlFilterOfEachSubscriber_IsTheOneGeneratedFromItsFilter()
    {
        // The file is read by the app and by infra/ (Service Bus rules): the stored SQL must mean exactly the structured
        // filter, plus redeliveries addressed to that subscriber.
        foreach (var subscriber in TestCore.Core.Reference.Subscribers.Subscribers)
        {
            Assert.Equal(SubscriptionFilter.RuleSql(subscriber), subscriber.SqlFilter);
        }
    }

    [Fact]
    public void RuleSql_FilteredSubscriber_TakesOrdinaryDataSetEventsByItsFilterAndRedeliveriesOnlyForItself()
    {
        Assert.Equal(
            "(redeliverTo IS NULL AND type = 'dataset-published' AND periodKind = 'year') OR redeliverTo = 'statistics-bureau-annual'",
            SubscriptionFilter.RuleSql(new Subscriber("statistics-bureau-annual", null, new SubscriberFilter(["year"], null, null), "")));
    }

    [Fact]
    public void RuleSql_EmptyFilter_TakesEveryOrdinaryDataSetEventButNoOtherSubscribersRedelivery()
    {
        Assert.Equal(
            "(redeliverTo IS NULL AND type = 'dataset-published') OR redeliverTo = 'dual-carbon-dashboard'",
            SubscriptionFilter.RuleSql(new Subscriber("dual-carbon-dashboard", null, new SubscriberFilter([], [], []), "")));
    }

    [Fact]
    public void RuleSql_SubscriberAskingForBoth_KeepsTheAlternativesTogetherUnderTheRedeliveryGuard()
    {
        var both = new Subscriber("both", null, new SubscriberFilter(["year"], null, null), "") { EventTypes = ["dataset-published", "feed-late"] };
        Assert.Equal(
            "(redeliverTo IS NULL AND ((type = 'dataset-published' AND periodKind = 'year') OR type = 'feed-late')) OR redeliverTo = 'both'",
            SubscriptionFilter.RuleSql(both));
    }

    [Fact]
    public void ToSql_SubscriberWithoutEventTypes_TakesDataSetEventsOnly_EvenWithACatchAllFilter()
    {
        var dashboard = new Subscriber("dashboard", null, new SubscriberFilter(null, null, null), "");
        Assert.Equal("type = 'dataset-published'", SubscriptionFilter.ToSql(dashboard));
        Assert.True(SubscriptionFilter.Wants(dashboard, "dataset-published"));
        Assert.False(SubscriptionFilter.Wants(dashboard, "feed-late"));
    }

    [Fact]
    public void ToSql_SubscriberAskingForBoth_FilteredDataSetsOrAnyLateFeed()
    {
        var both = new Subscriber("both", null, new SubscriberFilter(["year"], null, null), "") { EventTypes = ["dataset-published", "feed-late"] };
        Assert.Equal("(type = 'dataset-published' AND periodKind = 'year') OR type = 'feed-late'", SubscriptionFilter.ToSql(both));
        var lateOnly = new Subscriber("late", null, new SubscriberFilter(null, null, null), "") { EventTypes = ["feed-late"] };
        Assert.Equal("type = 'feed-late'", SubscriptionFilter.ToSql(lateOnly));
        Assert.False(SubscriptionFilter.Wants(lateOnly, "dataset-published"));
    }

    [Fact]
    public void SubscribersFile_OnlyTheCarbonOfficeAsksForLateFeeds()
    {
        // Existing subscribers keep getting data sets only; feed-late goes to whoever asks.
        Assert.Equal(
            ["carbon-office-supply"],
            TestCore.Core.Reference.Subscribers.Subscribers.Where(s => SubscriptionFilter.Wants(s, "feed-late")).Select(s => s.Name));
    }

    [Fact]
    public void ToSql_EmptyFilter_MatchesEverything()
    {
        Assert.Equal("1=1", SubscriptionFilter.ToSql(new SubscriberFilter([], [], [])));
        Assert.Equal("1=1", SubscriptionFilter.ToSql(new SubscriberFilter(null, null, null)));
    }

    [Fact]
    public void ToSql_SeveralValuesAndFields_OrsValuesAndAndsFields()
    {
        Assert.Equal(
            "(periodKind = 'year' OR periodKind = 'quarter') AND (areas LIKE '%,430104,%' ESCAPE '!' OR areas LIKE '%,PARK!_MXH,%' ESCAPE '!')",
            SubscriptionFilter.ToSql(new SubscriberFilter(["year", "quarter"], ["430104", "PARK_MXH"], null)));
    }

    [Fact]
    public void Matches_AreaAndPrefixBothPresent_IsTrue()
    {
        Assert.True(SubscriptionFilter.Matches(YueluEnergy, "quarter", ["XJNA", "430104"], ["carbon.totalTco2", "energy.intensity"]));
    }

    [Fact]
    public void Matches_AreaPresentButNoIndicatorWithPrefix_IsFalse()
    {
        Assert.False(SubscriptionFilter.Matches(YueluEnergy, "quarter", ["430104"], ["carbon.totalTco2"]));
    }

    [Fact]
    public void Matches_PrefixPresentButOtherAreas_IsFalse()
    {
        Assert.False(SubscriptionFilter.Matches(YueluEnergy, "year", ["430112008"], ["energy.totalTce"]));
    }

    [Fact]
    public void Matches_PeriodKindNotListed_IsFalse()
    {
        Assert.False(SubscriptionFilter.Matches(new SubscriberFilter(["year"], null, null), "quarter", ["XJNA"], ["energy.totalTce"]));
    }

    [Fact]
    public void DelimitedList_WrapsValuesInCommasForLikeMembership()
    {
        Assert.Equal(",XJNA,430104,", SubscriptionFilter.DelimitedList(["XJNA", "430104"]));
    }
}
