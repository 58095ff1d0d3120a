using System.Security.Cryptography;
using System.Text.RegularExpressions;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.Browser;

/// <summary>
/// The third-party files the pages load (Swagger UI, MSAL.js) are the package's bytes: each vendored folder's README
/// lists every file with its SHA-256, and the files must match it and be all there, licence included.
/// </summary>
public sealed partial class VendoredWebFilesTests
{
    [Theory]
    [InlineData("swagger-ui", "swagger-ui-bundle.js")]
    [InlineData("msal-browser", "msal-browser.min.js")]
    public void VendoredFolder_EveryFileMatchesItsListedSha256_LicenceIncluded(string folder, string bundle)
    {
        var directory = Path.Combine(RepoPaths.Root, "functions", "IntegrationHub.Functions", "Web", "Assets", folder);
        var listed = HashRow().Matches(File.ReadAllText(Path.Combine(directory, "README.md")))
            .ToDictionary(m => m.Groups["file"].Value, m => m.Groups["sha"].Value, StringComparer.Ordinal);

        Assert.Contains(bundle, listed.Keys);
        Assert.Contains("LICENSE", listed.Keys);
        foreach (var (file, sha) in listed)
        {
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, file)))));
        }

        // Nothing vendored beside the README that the table does not vouch for.
        Assert.Equal(listed.Keys.Order(StringComparer.Ordinal),
            Directory.GetFiles(directory).Select(Path.GetFileName).Where(f => f != "README.md").Order(StringComparer.Ordinal)!);
    }

    [GeneratedRegex(@"^\| (?<file>[A-Za-z0-9._-]+) \| (?<sha>[0-9a-f]{64}) \|$", RegexOptions.Multiline)]
    private static partial Regex HashRow();
}
