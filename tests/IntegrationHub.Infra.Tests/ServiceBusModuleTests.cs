using System.Text.Json.Nodes;

namespace IntegrationHub.Infra.Tests;

public class ServiceBusModuleTests
{
    private static readonly CompiledInfrastructure Infra = CompiledInfrastructure.Instance;

    public static TheoryData<string> ParameterFiles => CompiledInfrastructure.ParameterFiles();

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void Namespace_AnyParameterFile_HasLocalAuthDisabled(string parameterFile)
    {
        Assert.Empty(InfrastructureChecks.ServiceBusLocalAuthViolations(Infra.Snapshots[parameterFile]));
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void Subscriptions_AnyParameterFile_AreExactlyTheSubscribersWithTheirFilters(string parameterFile)
    {
        Assert.Empty(InfrastructureChecks.SubscriberSubscriptionViolations(Infra.Snapshots[parameterFile], Infra.SubscribersFile));
    }

    [Fact]
    public void CompiledTemplate_Always_EmbedsTheCurrentSubscribersFile()
    {
        // loadJsonContent copies the file into the template's variables; a stale template would not match.
        var embedded = Infra.Template["variables"]!.AsObject()
            .Select(v => v.Value)
            .OfType<JsonObject>()
            .Where(v => v["subscribers"] is JsonArray && v["topic"] is not null);

        Assert.Contains(embedded, v => JsonNode.DeepEquals(v, Infra.SubscribersFile));
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void SubscriptionRules_AnyParameterFile_EachTestsTheEventType_SoNoCatchAllTakesLateFeeds(string parameterFile)
    {
        // A feed-late message carries only type = 'feed-late' (no periodKind, areas or indicators): a rule that does
        // not test type, such as the old catch-all 1=1, would hand it to a subscriber that never asked for it. The
        // other branch takes only a redelivery addressed to the subscriber, which a feed-late message never is.
        var rules = Infra.Snapshots[parameterFile].OfType("Microsoft.ServiceBus/namespaces/topics/subscriptions/rules").ToList();
        Assert.NotEmpty(rules);
        foreach (var rule in rules)
        {
            var expression = (string?)rule["properties"]?["sqlFilter"]?["sqlExpression"] ?? "";
            Assert.Matches(@"^\(redeliverTo IS NULL AND \(*type = '(dataset-published|feed-late)'.*\) OR redeliverTo = '[a-z0-9-]+'$", expression);
        }
    }

    [Fact]
    public void SubscribersFile_SubscriberWithAFilter_HasItsSqlFilterFilledIn()
    {
        foreach (var subscriber in Infra.SubscribersFile["subscribers"]!.AsArray())
        {
            var filter = subscriber!["filter"]?.AsObject() ?? [];
            var constrained = filter.Any(f => f.Value is JsonArray { Count: > 0 });
            if (constrained)
            {
                Assert.False(string.IsNullOrEmpty((string?)subscriber["sqlFilter"]), $"{subscriber["name"]} has a filter but no sqlFilter");
            }
        }
    }
}
