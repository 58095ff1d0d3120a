using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Tests.Support;

namespace IntegrationHub.Core.Tests;

/// <summary>
/// Whatever the bytes, intake answers with a report and consolidation with a data set: no exception escapes.
/// Deterministic mutations of the real samples (fixed seed), so a failure reproduces.
/// </summary>
public class ValidatorRobustnessTests
{
    private static readonly JsonNode?[] HostileValues =
    [
        null, true, "", "x", -1, 0, 1e308, -1e308, 4.9e-324, 2147483648L, long.MaxValue, 1.5, new JsonArray(), new JsonObject(),
        "1900-01", "2024-13", "9999", "2024-02-30T00:00:00+08:00", new string('9', 400), "PARK_X", "XJNA",
    ];

    [Fact]
    public void Validate_ThousandsOfStructuralMutations_NeverThrowAndAcceptedOnesStillBuild()
    {
        var random = new Random(20251125);
        var samples =
            new[] { "2024/statistics-2024-Q4-r1.json", "2024/power-grid-2024-06-r0.json", "2024/transport-2024-06-r0.json", "2024/environment-2024-02-r0.json" }
            .Select(p => File.ReadAllText(Path.Combine(RepoPaths.SampleFeeds, p)))
            .ToArray();
        var accepted = 0;
        for (var i = 0; i < 1500; i++)
        {
            var node = JsonNode.Parse(samples[i % samples.Length])!;
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                Mutate(node, random);
            }

            var check = TestCore.Core.Validator.Validate(Encoding.UTF8.GetBytes(node.ToJsonString()));
            Assert.Equal(check.Feed is not null, check.Report.Valid);
            Assert.All(check.Report.Errors, e => Assert.StartsWith("/", e.InstanceLocation + "/", StringComparison.Ordinal));
            if (check.Feed is not null)
            {
                accepted++;
                var feed = FeedNormaliser.Normalise(check.Feed);
                var period = check.Feed.Period.Kind == PeriodKind.Month
                    ? Period.OfQuarter(check.Feed.Period.Year, ((check.Feed.Period.Index - 1) / 3) + 1) : check.Feed.Period;
                TestCore.Core.Datasets.Build(period, [feed], 1, DateTimeOffset.UnixEpoch);
            }
        }

        // Some mutations keep the feed valid (e.g. a number replaced by another): the build path was exercised.
        Assert.InRange(accepted, 1, 1499);
    }

    [Fact]
    public void Validate_ByteLevelCorruption_NeverThrows()
    {
        var random = new Random(7);
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.SampleFeeds, "2024", "transport-2024-06-r0.json"));
        for (var i = 0; i < 500; i++)
        {
            var copy = (byte[])bytes.Clone();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            }

            var report = TestCore.Core.Validator.Validate(copy.AsMemory(0, random.Next(copy.Length / 2, copy.Length))).Report;
            // Every answer identifies what was received, even bytes that are not a feed at all.
            Assert.False(string.IsNullOrEmpty(report.FeedId));
            Assert.Equal(64, report.ContentHash!.Length);
        }
    }

    private static void Mutate(JsonNode root, Random random)
    {
        var containers = Descendants(root).Where(n => n is JsonObject or JsonArray).ToArray();
        var target = containers[random.Next(containers.Length)];
        switch (target)
        {
            case JsonObject obj when obj.Count > 0:
                var key = obj.ElementAt(random.Next(obj.Count)).Key;
                switch (random.Next(3))
                {
                    case 0: obj.Remove(key); break;
                    case 1: obj[key] = HostileValues[random.Next(HostileValues.Length)]?.DeepClone(); break;
                    default: obj[key + "x"] = 1; break;
                }

                break;
            case JsonArray array when array.Count > 0:
                var index = random.Next(array.Count);
                if (random.Next(2) == 0)
                {
                    array.Add(array[index]?.DeepClone());
                }
                else
                {
                    array.RemoveAt(index);
                }

                break;
        }
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var d in Descendants(child))
            {
                yield return d;
            }
        }
    }
}
