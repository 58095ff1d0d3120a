using System.Security.Cryptography;
using IntegrationHub.Functions.Receipts;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Integration.Tests.Receipts;

/// <summary>The local receipt key: generated once where the settings say, with a log line, then the same key on every start.</summary>
public sealed class LocalFileReceiptKeyTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("receipt-key-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Open_NoFileYet_GeneratesAP256KeyOnlyItsOwnerCanReadAndSaysSo_ThenOpensTheSameKey()
    {
        var path = Path.Combine(folder, "data", "receipt-signing-key.pem");
        var logs = new ListLogger();

        using var first = LocalFileReceiptKey.Open(path, logs);
        using var second = LocalFileReceiptKey.Open(path, logs);

        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        using var stored = ECDsa.Create();
        stored.ImportFromPem(File.ReadAllText(path));
        Assert.Equal(256, stored.KeySize);
        Assert.Equal(await first.CurrentKidAsync(CancellationToken.None), await second.CurrentKidAsync(CancellationToken.None));
        Assert.Collection(logs.Lines,
            generated => Assert.Contains($"no signing key at {path}, so a new P-256 key was generated there", generated, StringComparison.Ordinal),
            opened => Assert.Contains($"signed with the local key {path}", opened, StringComparison.Ordinal));
    }

    [Fact]
    public void Open_FileThatIsNotAKey_RefusesToStartNamingTheFile()
    {
        var path = Path.Combine(folder, "receipt-signing-key.pem");
        File.WriteAllText(path, "not a key");

        var thrown = Assert.Throws<InvalidDataException>(() => LocalFileReceiptKey.Open(path, new ListLogger()));

        Assert.Contains(path, thrown.Message, StringComparison.Ordinal);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
