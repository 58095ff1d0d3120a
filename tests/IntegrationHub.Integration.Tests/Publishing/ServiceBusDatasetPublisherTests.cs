using System.Text.RegularExpressions;
using Azure.Messaging.ServiceBus;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Publishing;
using IntegrationHub.Functions.Publishing;
using Microsoft.Extensions.Logging.Abstractions;
using static IntegrationHub.Integration.Tests.Publishing.PublishingSamples;

namespace IntegrationHub.Integration.Tests.Publishing;

/// <summary>The Service Bus publisher through the SDK's test seams: what it sends, and which subscriptions would take it.</summary>
public sealed class ServiceBusDatasetPublisherTests
{
    private static readonly DatasetDocument Q4Version2 = Dataset(
        "2024-Q4", 2, "complete",
        ("XJNA", "carbon.totalTco2", 2_400_000), ("XJNA", "energy.totalTce", 1_300_000),
        ("430104", "carbon.totalTco2", 1_700_000), ("430104", "energy.totalTce", 900_000));

    private static readonly DatasetDocument Year2024Version2 = Dataset(
        "2024", 2, "complete",
        ("XJNA", "energy.totalTce", 5_000_000), ("430104", "energy.totalTce", 3_100_000), ("430104", "energy.intensity", 0.31));

    // 2024-Q4 v2: a carbon revision in 430104, which the New Area total follows.
    private static readonly IndicatorChange[] QuarterCarbonIn430104 =
    [
        new("430104", "carbon.totalTco2", 1_690_000, 1_700_000),
        new("XJNA", "carbon.totalTco2", 2_390_000, 2_400_000),
    ];

    // 2024 v2: an energy revision in 430104 only.
    private static readonly IndicatorChange[] YearEnergyIn430104 = [new("430104", "energy.totalTce", 3_050_000, 3_100_000)];

    private static async Task<ServiceBusMessage> PublishAsync(DatasetDocument document, IReadOnlyList<IndicatorChange> changes)
    {
        var sender = new RecordingSender();
        var publisher = new ServiceBusDatasetPublisher(sender, NullLogger<ServiceBusDatasetPublisher>.Instance);

        await publisher.PublishAsync(DatasetPublishedEvent.Create(document, changes), CancellationToken.None);

        return Assert.Single(sender.Sent);
    }

    // The message as a subscription receives it.
    private static ServiceBusReceivedMessage Received(ServiceBusMessage sent) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: sent.Body, messageId: sent.MessageId, subject: sent.Subject, contentType: sent.ContentType,
            properties: new Dictionary<string, object>(sent.ApplicationProperties));

    [Fact]
    public async Task Publish_AnyEvent_SendsOneMessageIdentifiedByTheEventId()
    {
        var sent = await PublishAsync(Q4Version2, QuarterCarbonIn430104);

        Assert.Equal("2024-Q4/v2", sent.MessageId);
        Assert.Equal("application/cloudevents+json", sent.ContentType);
        Assert.Equal("2024-Q4", sent.Subject);
    }

    [Fact]
    public async Task Publish_AnyEvent_BodyIsTheStructuredCloudEvent()
    {
        var cloudEvent = DatasetPublishedEvent.Create(Q4Version2, QuarterCarbonIn430104);
        var sender = new RecordingSender();

        await new ServiceBusDatasetPublisher(sender, NullLogger<ServiceBusDatasetPublisher>.Instance).PublishAsync(cloudEvent, CancellationToken.None);

        var body = Assert.Single(sender.Sent).Body;
        Assert.Equal(DatasetPublishedEvent.Serialize(cloudEvent), body.ToArray());
        var decoded = DatasetPublishedEvent.Deserialize(body.ToMemory());
        Assert.Equal("2024-Q4/v2", decoded.Id);
        Assert.Equal(QuarterCarbonIn430104, DatasetPublishedEvent.DataOf(decoded).ChangedIndicators);
    }

    [Fact]
    public async Task Publish_QuarterlyCarbonChange_SetsTheFilterPropertiesAsDelimitedLists()
    {
        var sent = await PublishAsync(Q4Version2, QuarterCarbonIn430104);

        Assert.Equal("quarter", sent.ApplicationProperties[SubscriptionFilter.PeriodKindProperty]);
        Assert.Equal(",XJNA,430104,", sent.ApplicationProperties[SubscriptionFilter.AreasProperty]);
        Assert.Equal(",carbon.totalTco2,", sent.ApplicationProperties[SubscriptionFilter.IndicatorsProperty]);
    }

    [Fact]
    public async Task Publish_AnyEvent_CopiesTheCloudEventsAttributesWithTheAmqpBindingPrefix()
    {
        var sent = await PublishAsync(Year2024Version2, YearEnergyIn430104);

        Assert.Equal("1.0", sent.ApplicationProperties["cloudEvents_specversion"]);
        Assert.Equal("2024/v2", sent.ApplicationProperties["cloudEvents_id"]);
        Assert.Equal("cn.xiangjiang.dualcarbon.dataset.published", sent.ApplicationProperties["cloudEvents_type"]);
        Assert.Equal("/integration-hub", sent.ApplicationProperties["cloudEvents_source"]);
        Assert.Equal("2024", sent.ApplicationProperties["cloudEvents_subject"]);
        Assert.Equal(GeneratedAt, sent.ApplicationProperties["cloudEvents_time"]);
    }

    public static TheoryData<string, string[]> Cases => new()
    {
        // Quarter, carbon only: not the annual desk (year only), not Yuelu's energy office (no energy.* indicator).
        { "quarter-carbon-430104", ["dual-carbon-dashboard", "carbon-market-desk"] },
        // Year, energy in 430104: not the carbon desk (quarters, carbon.* only).
        { "year-energy-430104", ["dual-carbon-dashboard", "statistics-bureau-annual", "yuelu-energy-office"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Publish_ReceivedMessage_MatchesExactlyTheExpectedSubscribersBySqlFilterAndByFilter(string @case, string[] expected)
    {
        var sent = @case == "quarter-carbon-430104"
            ? await PublishAsync(Q4Version2, QuarterCarbonIn430104)
            : await PublishAsync(Year2024Version2, YearEnergyIn430104);
        var properties = Received(sent).ApplicationProperties;

        var subscribers = Hub.Reference.Subscribers.Subscribers;
        var bySql = subscribers.Where(s => SqlFilter.Evaluate(s.SqlFilter, properties)).Select(s => s.Name);
        var byFilter = subscribers
            .Where(s => SubscriptionFilter.Wants(s, SubscriptionFilter.DatasetPublished))
            .Where(s => SubscriptionFilter.Matches(
                s.Filter, (string)properties[SubscriptionFilter.PeriodKindProperty],
                ListOf(properties[SubscriptionFilter.AreasProperty]), ListOf(properties[SubscriptionFilter.IndicatorsProperty])))
            .Select(s => s.Name);

        Assert.Equal(expected, bySql);
        Assert.Equal(expected, byFilter);
    }

    [Fact]
    public async Task PublishFeedLate_Message_IdentifiedByTheEventId_TakenOnlyByTheSubscriptionsAskingForFeedLate()
    {
        var sender = new RecordingSender();
        var cell = new IntegrationHub.Core.Supply.SupplyCell(
            "power-grid", "2025-01", "month", "2025-02-10", new DateTimeOffset(2025, 2, 10, 16, 0, 0, TimeSpan.Zero),
            IntegrationHub.Core.Supply.SupplyState.Missing, null, []);
        var lateEvent = IntegrationHub.Functions.Supply.FeedLateEvent.Create(cell, new DateTimeOffset(2025, 2, 11, 1, 0, 0, TimeSpan.Zero));

        await new ServiceBusDatasetPublisher(sender, NullLogger<ServiceBusDatasetPublisher>.Instance).PublishFeedLateAsync(lateEvent, CancellationToken.None);

        var sent = Assert.Single(sender.Sent);
        Assert.Equal(lateEvent.Id, sent.MessageId);
        Assert.Equal("feed-late", sent.ApplicationProperties["type"]);
        Assert.Equal("cn.xiangjiang.dualcarbon.feed.late", sent.ApplicationProperties["cloudEvents_type"]);
        var properties = Received(sent).ApplicationProperties;
        // The dashboard's catch-all data-set rule must not take it: only the carbon office asks for late feeds.
        Assert.Equal(["carbon-office-supply"],
            Hub.Reference.Subscribers.Subscribers.Where(s => SqlFilter.Evaluate(s.SqlFilter, properties)).Select(s =>
            s.Name));
    }

    [Fact]
    public async Task RedeliverFeedLate_TakenOnlyByThatSubscribersRule_SameBodyAndId_FreshMessageId()
    {
        var sender = new RecordingSender();
        var cell = new IntegrationHub.Core.Supply.SupplyCell(
            "power-grid", "2025-01", "month", "2025-02-10", new DateTimeOffset(2025, 2, 10, 16, 0, 0, TimeSpan.Zero),
            IntegrationHub.Core.Supply.SupplyState.Missing, null, []);
        var lateEvent = IntegrationHub.Functions.Supply.FeedLateEvent.Create(cell, new DateTimeOffset(2025, 2, 11, 1, 0, 0, TimeSpan.Zero));
        var office = Hub.Reference.Subscribers.Subscribers.Single(s => s.Name == "carbon-office-supply");

        await new ServiceBusDatasetPublisher(sender, NullLogger<ServiceBusDatasetPublisher>.Instance).RedeliverAsync(lateEvent, office, CancellationToken.None);

        var sent = Assert.Single(sender.Sent);
        Assert.StartsWith(lateEvent.Id + "/redelivery/", sent.MessageId, StringComparison.Ordinal);
        Assert.Equal(DatasetPublishedEvent.Serialize(lateEvent), sent.Body.ToArray());
        var properties = Received(sent).ApplicationProperties;
        Assert.Equal(["carbon-office-supply"],
            Hub.Reference.Subscribers.Subscribers.Where(s => SqlFilter.Evaluate(s.SqlFilter, properties)).Select(s =>
            s.Name));
    }

    [Fact]
    public async Task Publish_DataSetEvent_NotTakenByASubscriptionAskingOnlyForFeedLate()
    {
        var properties = Received(await PublishAsync(Q4Version2, QuarterCarbonIn430104)).ApplicationProperties;
        Assert.Equal("dataset-published", properties["type"]);
        Assert.False(SqlFilter.Evaluate(Hub.Reference.Subscribers.Subscribers.Single(s => s.Name == "carbon-office-supply").SqlFilter, properties));
    }

    private static string[] ListOf(object delimited) => ((string)delimited).Split(',', StringSplitOptions.RemoveEmptyEntries);

    // Records what would have gone to the topic (the SDK's mocking constructor and virtual send).
    private sealed class RecordingSender : ServiceBusSender
    {
        public List<ServiceBusMessage> Sent { get; } = [];

        public override string EntityPath => "dataset-published";

        public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
        {
            Sent.Add(message);
            return Task.CompletedTask;
        }
    }

    // The part of the Service Bus SQL filter grammar the subscribers file uses — 1=1, p = 'v', p LIKE 'pattern' ESCAPE
    // 'c', p IS NULL, AND, OR, parentheses — evaluated as the broker does, over a message's properties.
    private static class SqlFilter
    {
        private static readonly Regex Token = new(
            @"\s*(?:(?<open>\()|(?<close>\))|(?<and>AND)\b|(?<or>OR)\b|(?<true>1=1)|(?<null>\w+)\s+IS\s+NULL\b"
            + @"|(?<name>\w+)\s*(?:(?<eq>=)|(?<like>LIKE))\s*'(?<value>(?:[^']|'')*)'(?:\s*ESCAPE\s*'(?<escape>.)')?)",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

        public static bool Evaluate(string sql, IReadOnlyDictionary<string, object> properties)
        {
            var tokens = new List<Match>();
            for (var at = 0; at < sql.Length;)
            {
                var match = Token.Match(sql, at);
                Assert.True(match.Success && match.Index == at, $"unsupported SQL at {at}: {sql}");
                tokens.Add(match);
                at += match.Length;
            }

            var position = 0;
            var result = Or(tokens, ref position, properties);
            Assert.Equal(tokens.Count, position);
            return result;
        }

        private static bool Or(List<Match> tokens, ref int position, IReadOnlyDictionary<string, object> properties)
        {
            var result = And(tokens, ref position, properties);
            while (position < tokens.Count && tokens[position].Groups["or"].Success)
            {
                position++;
                result |= And(tokens, ref position, properties);
            }

            return result;
        }

        private static bool And(List<Match> tokens, ref int position, IReadOnlyDictionary<string, object> properties)
        {
            var result = Atom(tokens, ref position, properties);
            while (position < tokens.Count && tokens[position].Groups["and"].Success)
            {
                position++;
                result &= Atom(tokens, ref position, properties);
            }

            return result;
        }

        private static bool Atom(List<Match> tokens, ref int position, IReadOnlyDictionary<string, object> properties)
        {
            var token = tokens[position++];
            if (token.Groups["open"].Success)
            {
                var inner = Or(tokens, ref position, properties);
                Assert.True(tokens[position++].Groups["close"].Success);
                return inner;
            }

            if (token.Groups["true"].Success)
            {
                return true;
            }

            if (token.Groups["null"].Success)
            {
                return !properties.ContainsKey(token.Groups["null"].Value);
            }

            var value = token.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
            // A missing property is NULL in the broker's SQL: no comparison with it is true.
            if (!properties.TryGetValue(token.Groups["name"].Value, out var property) || property is not string text)
            {
                return false;
            }

            return token.Groups["eq"].Success ? text == value : Like(text, value, token.Groups["escape"].Success ? token.Groups["escape"].Value[0] : null);
        }

        private static bool Like(string text, string pattern, char? escape)
        {
            var regex = new System.Text.StringBuilder("^");
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (c == escape && i + 1 < pattern.Length)
                {
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                }
                else
                {
                    regex.Append(c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) });
                }
            }

            return Regex.IsMatch(text, regex.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
    }
}
