using System.Security.Cryptography;
using IntegrationHub.Core.Receipts;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Receipts;

/// <summary>
/// A P-256 key in a PEM file (PKCS#8), for a hub outside Azure. Created on first start when missing, readable by its
/// owner only; its kid is its RFC 7638 thumbprint, so it is stable for as long as the file is kept.
/// </summary>
public sealed partial class LocalFileReceiptKey : IReceiptKey, IDisposable
{
    private readonly ECDsa key;
    private readonly EcPublicJwk jwk;

    private LocalFileReceiptKey(ECDsa key)
    {
        this.key = key;
        jwk = EcPublicJwk.From(key.ExportParameters(includePrivateParameters: false));
    }

    public string Kid => jwk.Kid;

    /// <summary>Reads the key at <paramref name="path"/>, generating it there first when there is none.</summary>
    public static LocalFileReceiptKey Open(string path, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            Generate(path);
            var created = Read(path);
            LogGenerated(logger, path, created.Kid);
            return created;
        }

        var opened = Read(path);
        LogOpened(logger, path, opened.Kid);
        return opened;
    }

    /// <summary>A key that lives as long as the process: for tests that need no file.</summary>
    public static LocalFileReceiptKey InMemory() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public Task<string> CurrentKidAsync(CancellationToken cancellationToken) => Task.FromResult(jwk.Kid);

    public Task<byte[]> SignAsync(string kid, byte[] signingInput, CancellationToken cancellationToken) =>
        kid == jwk.Kid
            ? Task.FromResult(key.SignData(signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            : throw new InvalidOperationException($"The local receipt key is {jwk.Kid}, not {kid}.");

    public Task<IReadOnlyList<EcPublicJwk>> PublicKeysAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<EcPublicJwk>>([jwk]);

    public void Dispose() => key.Dispose();

    private static LocalFileReceiptKey Read(string path)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(File.ReadAllText(path));
            if (ecdsa.KeySize != 256)
            {
                throw new InvalidDataException($"The receipt key {path} is not a P-256 key.");
            }

            return new LocalFileReceiptKey(ecdsa);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            throw new InvalidDataException($"The receipt key {path} is not a PEM EC private key: {ex.Message}", ex);
        }
    }

    // Written beside the target, then moved without overwriting: two hubs starting at once keep one key.
    private static void Generate(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(temporary, options))
            {
                writer.Write(ecdsa.ExportPkcs8PrivateKeyPem());
            }

            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made the key first: that one is the key.
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Receipts: no signing key at {Path}, so a new P-256 key was generated there (kid {Kid}). Receipts signed with an earlier "
            + "key no longer verify against this hub's key set.")]
    private static partial void LogGenerated(ILogger logger, string path, string kid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Receipts are signed with the local key {Path} (kid {Kid})")]
    private static partial void LogOpened(ILogger logger, string path, string kid);
}
