using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHub.Core.Parsing;
using IntegrationHub.Core.Tests.Support;
using IntegrationHub.Core.Validation;
using IntegrationHub.Tests.Hostile;
using Json.Schema;

namespace IntegrationHub.Core.Tests;

/// <summary>
/// The hostile-input corpus against the validator in process (the same corpus the push endpoint is tested with over
/// HTTP), and the limits that keep a hostile feed cheap: values, listed errors, escaped surrogates, regex timeouts, a
/// clock that says when "produced" is in the future.
/// </summary>
public class HostileInputValidatorTests
{
    public static TheoryData<string> ContentCases() => [.. HostileCorpus.All(8 * 1024 * 1024).Where(c => c.IsAboutContent).Select(c => c.ToString())];

    private static readonly Lazy<Dictionary<string, HostileCase>> Cases =
        new(() => HostileCorpus.All(8 * 1024 * 1024).Where(c => c.IsAboutContent).ToDictionary(c => c.ToString()));

    [Theory]
    [MemberData(nameof(ContentCases))]
    public void Validate_HostileCorpusCase_RefusedWithTheRuleAndAPointer(string name)
    {
        var @case = Cases.Value[name];

        var report = TestCore.Core.Validator.Validate(@case.Body, @case.Source).Report;

        Assert.False(report.Valid);
        Assert.All(report.Errors, e => Assert.True(e.InstanceLocation.Length == 0 || e.InstanceLocation[0] == '/', e.InstanceLocation));
        if (@case.Keyword is { } keyword)
        {
            Assert.True(
                keyword.EndsWith(':') ? report.Errors[0].Keyword.StartsWith(keyword, StringComparison.Ordinal) : report.Errors.Any(e => e.Keyword == keyword),
                $"expected {keyword}; got {string.Join(", ", report.Errors.Take(5).Select(e => $"{e.Keyword} {e.InstanceLocation}"))}");
        }
    }

    [Fact]
    public void Parse_MoreValuesThanTheLimit_IsTooManyValuesAtTheFirstValueOver()
    {
        var parser = new HardenedJsonParser(new IntakeLimits { MaxFeedBytes = 12 * 1024 });
        Assert.Equal(1024, parser.Limits.MaxValues);

        // The root object is value 1 and the array value 2, so the 1,025th value is the array's item 1022.
        using var parsed = parser.Parse(Encoding.UTF8.GetBytes("{\"a\":[" + string.Join(',', Enumerable.Repeat("0", 2000)) + "]}"));

        var error = Assert.Single(parsed.Errors);
        Assert.Equal(("parse:too-many-values", "/a/1022"), (error.Keyword, error.InstanceLocation));
    }

    [Fact]
    public void Parse_ValuesUpToTheLimit_AreAccepted()
    {
        var parser = new HardenedJsonParser(new IntakeLimits { MaxFeedBytes = 12 * 1024 });

        using var parsed = parser.Parse(Encoding.UTF8.GetBytes("{\"a\":[" + string.Join(',', Enumerable.Repeat("0", 1022)) + "]}"));

        Assert.Empty(parsed.Errors);
    }

    [Theory]
    [InlineData("{\"\\uDFAA\":0}", "/\\uDFAA")]
    [InlineData("{\"producer\":\"ab\\uD800\"}", "/producer")]
    [InlineData("{\"a\":[\"x\",\"\\uDC00\\uD800\"]}", "/a/1")]
    public void Parse_EscapedLoneSurrogate_IsInvalidJsonAtItsPointer(string json, string pointer)
    {
        using var parsed = new HardenedJsonParser(new IntakeLimits()).Parse(Encoding.UTF8.GetBytes(json));

        var error = Assert.Single(parsed.Errors);
        Assert.Equal(("parse:invalid-json", pointer), (error.Keyword, error.InstanceLocation));
    }

    [Fact]
    public void Parse_EscapedSurrogatePair_IsText()
    {
        using var parsed = new HardenedJsonParser(new IntakeLimits()).Parse(Encoding.UTF8.GetBytes("{\"name\":\"\\uD834\\uDD1E\"}"));

        Assert.Empty(parsed.Errors);
        Assert.Equal("𝄞", parsed.Document!.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public void Validate_5000UnknownProperties_ListsTheFirst1000AndCountsTheRest()
    {
        var feed = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(HostileCorpus.Samples["transport"])!;
        var text = JsonSerializer.Serialize(feed);
        var extra = string.Join(',', Enumerable.Range(0, 5000).Select(i => $"\"u{i}\":0"));

        var report = TestCore.Core.Validator.Validate(Encoding.UTF8.GetBytes(text[..^1] + "," + extra + "}"), "transport").Report;

        Assert.Equal(FeedValidator.MaxListedErrors, report.Errors.Count);
        Assert.Equal(5000 - FeedValidator.MaxListedErrors, report.ErrorsNotListed);
        Assert.All(report.Errors, e => Assert.Equal("additionalProperties", e.Keyword));
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, HubJson.Options));
        Assert.Equal(4000, json.RootElement.GetProperty("errorsNotListed").GetInt32());
    }

    [Fact]
    public void Validate_FewErrors_HasNoErrorsNotListedInItsJson()
    {
        var report = TestCore.Core.Validator.Validate(Encoding.UTF8.GetBytes("{}"), "transport").Report;

        Assert.DoesNotContain("errorsNotListed", JsonSerializer.Serialize(report, HubJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ProducedMoreThanADayAfterTheClock_IsProducedNotInFuture()
    {
        var core = new HubCore(requireRegexTimeout: false, clock: new FixedClock(new DateTimeOffset(2024, 7, 8, 0, 0, 0, TimeSpan.Zero)));
        var sample = HostileCorpus.Samples["transport"]; // transport 2024-06, produced 2024-07-09T13:25+08:00

        var report = core.Validator.Validate(sample, "transport").Report;

        var error = Assert.Single(report.Errors);
        Assert.Equal(("rule:produced-not-in-future", "/producedAt"), (error.Keyword, error.InstanceLocation));
    }

    [Fact]
    public void Validate_ProducedLessThanADayAfterTheClock_IsAccepted()
    {
        // China time sent as UTC runs 8 h ahead: still inside the tolerance.
        var core = new HubCore(requireRegexTimeout: false, clock: new FixedClock(new DateTimeOffset(2024, 7, 9, 0, 0, 0, TimeSpan.Zero)));

        var report = core.Validator.Validate(HostileCorpus.Samples["transport"], "transport").Report;

        Assert.True(report.Valid, string.Join("; ", report.Errors.Select(e => e.Keyword)));
    }

    [Fact]
    public void SchemaCatalog_WithoutAProcessWideRegexTimeout_RefusesToStart()
    {
        // The test runner built regexes before any test ran, so the default timeout is the infinite one here.
        Assert.False(RegexTimeout.IsInEffect());

        var refused = Assert.Throws<InvalidOperationException>(() => new SchemaCatalog());

        Assert.Contains("RegexTimeout.Apply()", refused.Message, StringComparison.Ordinal);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
