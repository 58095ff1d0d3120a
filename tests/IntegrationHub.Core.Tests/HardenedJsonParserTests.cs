using System.Text;
using IntegrationHub.Core.Parsing;

namespace IntegrationHub.Core.Tests;

public class HardenedJsonParserTests
{
    private static readonly HardenedJsonParser Parser = new(new IntakeLimits { MaxFeedBytes = 4096, MaxDepth = 16 });

    private static string SingleError(string json) => SingleError(Encoding.UTF8.GetBytes(json));

    private static string SingleError(byte[] body)
    {
        using var parsed = Parser.Parse(body);
        Assert.Null(parsed.Document);
        var error = Assert.Single(parsed.Errors);
        return $"{error.Keyword} {error.InstanceLocation}";
    }

    [Fact]
    public void Parse_WellFormedObject_ReturnsDocumentAndNoErrors()
    {
        using var parsed = Parser.Parse(Encoding.UTF8.GetBytes("""{"a":[1,{"b":"望月湖"}],"c":null}"""));
        Assert.Empty(parsed.Errors);
        Assert.Equal("望月湖", parsed.Document!.RootElement.GetProperty("a")[1].GetProperty("b").GetString());
    }

    [Fact]
    public void Parse_BodyOverTheLimit_IsTooLargeBeforeAnyParsing()
    {
        var body = Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', 5000) + "\"}");
        Assert.Equal("parse:too-large ", SingleError(body));
    }

    [Fact]
    public void Parse_NestingDeeperThanLimit_IsTooDeepAtTheFirstTooDeepValue()
    {
        var json = string.Concat(Enumerable.Repeat("[", 17)) + string.Concat(Enumerable.Repeat("]", 17));
        Assert.Equal("parse:too-deep /0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0", SingleError(json));
    }

    [Fact]
    public void Parse_NestingAtTheLimit_IsAccepted()
    {
        var json = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 15)) + string.Concat(Enumerable.Repeat("]", 15)) + "}";
        using var parsed = Parser.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Empty(parsed.Errors);
    }

    [Fact]
    public void Parse_DuplicatePropertyInNestedObject_NamesTheRepeatedProperty()
    {
        Assert.Equal("parse:duplicate-property /records/1/gdp10kCny",
            SingleError("""{"records":[{"gdp10kCny":1},{"gdp10kCny":1,"x":2,"gdp10kCny":3}]}"""));
    }

    [Fact]
    public void Parse_SameNameInSiblingObjects_IsNotADuplicate()
    {
        using var parsed = Parser.Parse(Encoding.UTF8.GetBytes("""{"a":{"n":1},"b":{"n":2}}"""));
        Assert.Empty(parsed.Errors);
    }

    [Fact]
    public void Parse_PropertyNameWithSlashAndTilde_IsEscapedInThePointer()
    {
        Assert.Equal("parse:duplicate-property /a~1b~0c", SingleError("""{"a/b~c":1,"a/b~c":2}"""));
    }

    [Fact]
    public void Parse_NumberBeyondDoubleRange_IsOutOfRangeAtItsPointer()
    {
        Assert.Equal("parse:number-out-of-range /records/0/mwh", SingleError("""{"records":[{"mwh":1e400}]}"""));
    }

    [Fact]
    public void Parse_InvalidUtf8InsideAString_IsRejectedAsInvalidUtf8()
    {
        var body = Encoding.UTF8.GetBytes("{\"producer\":\"ab\"}");
        body[13] = 0xC3; // a lead byte followed by an ASCII byte: not UTF-8
        Assert.Equal("parse:invalid-utf8 ", SingleError(body));
    }

    [Fact]
    public void Parse_ByteOrderMark_IsRejected()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("{}")).ToArray();
        Assert.Equal("parse:byte-order-mark ", SingleError(body));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":01}")]
    [InlineData("{'a':1}")]
    [InlineData("{\"a\":1} {\"b\":2}")]
    [InlineData("{\"a\":1 /* comment */}")]
    [InlineData("{\"a\":NaN}")]
    public void Parse_MalformedJson_IsInvalidJson(string json)
    {
        Assert.Equal("parse:invalid-json ", SingleError(json));
    }

    [Theory]
    [InlineData("[]", "array")]
    [InlineData("\"feed\"", "string")]
    [InlineData("42", "number")]
    [InlineData("null", "null")]
    public void Parse_RootThatIsNotAnObject_IsNotAnObject(string json, string kind)
    {
        using var parsed = Parser.Parse(Encoding.UTF8.GetBytes(json));
        var error = Assert.Single(parsed.Errors);
        Assert.Equal("parse:not-an-object", error.Keyword);
        Assert.Contains(kind, error.Message, StringComparison.Ordinal);
    }
}
