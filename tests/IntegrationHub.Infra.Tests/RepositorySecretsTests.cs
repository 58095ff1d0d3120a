using System.Diagnostics;
using System.Text.RegularExpressions;

namespace IntegrationHub.Infra.Tests;

/// <summary>
/// No credential is committed: every file git would commit (tracked, or new and not ignored) is searched for the
/// shapes real secrets have. Test fixtures' made-up keys are short on purpose; Azurite's development key is public.
/// </summary>
public sealed partial class RepositorySecretsTests
{
    /// <summary>Azurite's well-known development account key: documented, valid only against the emulator.</summary>
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly string[] TextExtensions =
        [".cs", ".json", ".bicep", ".bicepparam", ".sh", ".mjs", ".js", ".md", ".yaml", ".yml", ".props", ".proj", ".csproj", ".xml", ".html", ".css",
            ".txt", ".runsettings", ".env", ""];

    [Fact]
    public void CommittableFiles_HoldNoCredential()
    {
        var root = RepoPaths.Root;
        var findings = new List<string>();
        foreach (var path in CommittableFiles(root).Where(p => TextExtensions.Contains(Path.GetExtension(p), StringComparer.OrdinalIgnoreCase)))
        {
            var text = File.ReadAllText(Path.Combine(root, path));
            findings.AddRange(AzureKey().Matches(text).Where(m => m.Groups["value"].Value != AzuriteKey).Select(m => $"{path}: {m.Groups["name"].Value}=…"));
            findings.AddRange(PrivateKey().Matches(text).Select(_ => $"{path}: a private key block"));
            findings.AddRange(SasSignature().Matches(text).Select(_ => $"{path}: a SAS signature"));
            findings.AddRange(
                HubKeySetting().Matches(text)
                .Select(m => $"{path}: {m.Groups["name"].Value} holds a key that is not a local development one, a hash or a Key Vault reference"));
        }

        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
    }

    [Fact]
    public void LocalSettings_AreIgnoredByGit()
    {
        var ignore = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".gitignore"));
        Assert.Contains("local.settings.json", ignore);
    }

    /// <summary>What <c>git add -A</c> would take; without git (a source archive), every file outside build output and dependencies.</summary>
    private static IEnumerable<string> CommittableFiles(string root)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var listing = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode == 0)
            {
                return listing.Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(p => File.Exists(Path.Combine(root, p)));
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on this machine.
        }

        string[] skipped = ["bin", "obj", "node_modules", ".git", "TestResults", ".data", "out"];
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p))
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => skipped.Contains(part)) && Path.GetFileName(p) != "local.settings.json");
    }

    // Storage account keys are 88 base64 characters, Service Bus and Event Hubs keys 44.
    [GeneratedRegex(@"(?<name>AccountKey|SharedAccessKey|AccessKey)=(?<value>[A-Za-z0-9+/]{40,}={0,2})")]
    private static partial Regex AzureKey();

    [GeneratedRegex(@"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"[?&;]sig=[A-Za-z0-9%+/]{30,}")]
    private static partial Regex SasSignature();

    // A hub key in settings: local development keys are named local-…, anything else must be a hash or a reference.
    [GeneratedRegex(@"""(?<name>Access__\w+__(?:Primary|Secondary))""\s*:\s*""(?!local-|sha256:|@Microsoft\.KeyVault\()[^""]+""")]
    private static partial Regex HubKeySetting();
}
