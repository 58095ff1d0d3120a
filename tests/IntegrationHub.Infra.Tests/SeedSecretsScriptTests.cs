using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Infra.Tests;

/// <summary>
/// infra/scripts/seed-secrets.sh run as azd runs it, against a stand-in <c>az</c> that keeps each secret set in a
/// file: access keys reach the vault only as <c>sha256:</c> digests, the key itself is handed over in a file.
/// </summary>
public sealed class SeedSecretsScriptTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("seed-secrets-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void Seed_NewAccessSecret_VaultHoldsTheSha256OfA64HexKey_TheKeyIsInTheKeysFolderOnly()
    {
        var (exit, output) =
            Run("access-transport-primary access-ops-secondary pull-transport-api-key access-statistics-primary", existing: "access-statistics-primary");

        Assert.True(exit == 0, output);
        foreach (var name in new[] { "access-transport-primary", "access-ops-secondary" })
        {
            var key = File.ReadAllText(Path.Combine(work, "keys", name));
            Assert.Matches("^[0-9a-f]{64}$", key);
            var expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
            Assert.Equal(expected, File.ReadAllText(Path.Combine(work, "vault", name)));
            Assert.DoesNotContain(key, output, StringComparison.Ordinal);
        }

        // Two keys made independently differ, so no two principals share one.
        Assert.NotEqual(
            File.ReadAllText(Path.Combine(work, "keys", "access-transport-primary")), File.ReadAllText(Path.Combine(work, "keys", "access-ops-secondary")));

        // The key the hub sends to a department must be usable as it is: plain, and not among the handed-over keys.
        Assert.Matches("^[0-9a-f]{64}$", File.ReadAllText(Path.Combine(work, "vault", "pull-transport-api-key")));
        Assert.False(File.Exists(Path.Combine(work, "keys", "pull-transport-api-key")));

        // An existing secret is never touched.
        Assert.False(File.Exists(Path.Combine(work, "vault", "access-statistics-primary")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(work, "keys", "access-transport-primary")));
        }
    }

    private (int Exit, string Output) Run(string names, string existing)
    {
        var bin = Directory.CreateDirectory(Path.Combine(work, "bin")).FullName;
        Directory.CreateDirectory(Path.Combine(work, "vault"));
        var az = Path.Combine(bin, "az");

        // list: the existing names; set: the --file content stored under --name; anything else succeeds.
        File.WriteAllText(az, $$"""
            #!/bin/sh
            case "$1 $2 $3" in
              "keyvault secret list") printf '%s\n' {{existing}} ;;
              "keyvault secret set")
                while [ $# -gt 0 ]; do
                  case "$1" in --name) name="$2"; shift ;; --file) file="$2"; shift ;; esac
                  shift
                done
                cp "$file" "{{work}}/vault/$name" ;;
            esac
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo("sh", [Path.Combine(RepoPaths.Root, "infra", "scripts", "seed-secrets.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = work,
        };
        start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["KEY_VAULT_NAME"] = "kv-test";
        start.Environment["KEY_VAULT_SECRET_NAMES"] = names;
        start.Environment["SEED_KEYS_DIR"] = Path.Combine(work, "keys");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "seed-secrets.sh did not finish");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
