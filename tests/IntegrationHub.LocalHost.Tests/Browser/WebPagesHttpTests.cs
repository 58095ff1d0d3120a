using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IntegrationHub.LocalHost.Tests.Browser;

/// <summary>
/// How the app serves its pages and their files, over plain HTTP (no browser needed): the security headers, the
/// fingerprinted asset URLs cached for a year, the allow-list of <c>/api/web/{name}</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class WebPagesHttpTests(BrowserHub fixture)
{
    [Theory]
    [InlineData("/api/console")]
    [InlineData("/api/dashboard")]
    [InlineData("/api/docs")]
    public async Task Page_IsHtmlWithSecurityHeaders_AndItsAssetsAreServedWithLongCaching(string path)
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.Address };
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        AssertSecurityHeaders(response);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoCache, "A page must be revalidated: it names the current asset fingerprints.");

        // No inline script or style in the page: everything it runs is a file of the allow-list.
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);

        var assets = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.Contains(assets, a => a.EndsWith(".js", StringComparison.Ordinal) || a.Contains(".js?", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.Contains(".css?", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var file = await http.GetAsync(new Uri(new Uri(http.BaseAddress!, path), asset));
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"{asset} should be served; got {(int)file.StatusCode}");
            var expectedType = asset.Contains(".css?", StringComparison.Ordinal) ? "text/css" : asset.Contains(".txt?", StringComparison.Ordinal)
                ? "text/plain" : "text/javascript";
            Assert.Equal(expectedType, file.Content.Headers.ContentType?.MediaType);
            Assert.Equal("utf-8", file.Content.Headers.ContentType?.CharSet);
            AssertSecurityHeaders(file);
            Assert.Equal(TimeSpan.FromDays(365), file.Headers.CacheControl?.MaxAge);

            // Unchanged bytes: a conditional request is answered 304.
            using var again = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(http.BaseAddress!, path), asset));
            again.Headers.IfNoneMatch.Add(file.Headers.ETag!);
            using var notModified = await http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
    }

    [Fact]
    public async Task WebAsset_WithoutTheCurrentFingerprint_IsRevalidated_AndAnyOtherNameIsNotFound()
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.Address };
        using var bare = await http.GetAsync("/api/web/console.js");
        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
        Assert.True(bare.Headers.CacheControl?.NoCache, "Only the fingerprinted URL may be cached for a year.");

        foreach (var name in new[] { "console.html", "dashboard.html", "WebAssets.resx", "..%2Fhost.json", "nothing.js" })
        {
            using var refused = await http.GetAsync($"/api/web/{name}");
            Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"/api/web/{name} should be 404; got {(int)refused.StatusCode}");
        }
    }

    [Fact]
    public async Task ConsoleScript_FieldsItReadsFromAnswers_AreAllDefinedByTheServedOpenApiDocument()
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.Address };
        var script = await http.GetStringAsync("/api/web/console.js");
        var document = JsonNode.Parse(await http.GetStringAsync("/api/openapi.json"))!;
        var documented = new HashSet<string>(StringComparer.Ordinal);
        CollectPropertyNames(document["components"]!["schemas"]!, documented);

        // A helper that tries several names for one field is a guess at the API, not a reading of it.
        Assert.DoesNotContain("pick(", script, StringComparison.Ordinal);
        var read = AnswerFieldRead().Matches(script).Select(m => m.Groups["field"].Value)
            .Concat(AnswerDestructured().Matches(script).SelectMany(m => m.Groups["fields"].Value.Split(',')
                .Select(f => f.Split(':')[0].Trim())))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("lastUpdatedAt", read);
        Assert.Empty(read.Except(documented).Order(StringComparer.Ordinal));
    }

    private static void CollectPropertyNames(JsonNode? node, HashSet<string> names)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "properties" && value is JsonObject properties)
                    {
                        names.UnionWith(properties.Select(p => p.Key));
                    }

                    CollectPropertyNames(value, names);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    CollectPropertyNames(item, names);
                }

                break;
        }
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
    }

    [GeneratedRegex("""<script(?![^>]*\bsrc=)[^>]*>""")]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"(?:src|href)=""(?<url>web/[^""]+)""")]
    private static partial Regex AssetReference();

    // The console's names for what an answer holds (an instance, a feed, an issue, …), then a field read from it.
    private const string AnswerNames = "instance|answer|feed|issue|quarantine|run|failure|event|outcome|entry|report|before|v";

    [GeneratedRegex(@"(?<![.\w$])(?:" + AnswerNames + @")\??\.(?<field>[a-zA-Z]+)\b(?!\()")]
    private static partial Regex AnswerFieldRead();

    [GeneratedRegex(@"const \{(?<fields>[^}]*)\} = (?:" + AnswerNames + @");")]
    private static partial Regex AnswerDestructured();
}
