using BenchmarkDotNet.Attributes;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Access;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The API-key check (<see cref="AccessOptions.Authenticate"/>) with all five principals' two keys configured, half
/// of them as plain keys and half as <c>sha256:</c> digests, against keys that are right, nearly right and wrong.
/// It must take the same time whichever key a caller nearly guessed, or an attacker could find a key character by
/// character from the answer times; a benchmark, not a timed unit test, because only medians over many calls can
/// tell a real difference from the noise of a shared machine.
/// </summary>
/// <remarks>
/// One method per presented key rather than a parameter: BenchmarkDotNet takes a baseline among methods only, and
/// the Ratio column against the right ops key is the comparison this benchmark exists for. The ops key is the last
/// of the ten checked and the statistics key the first, so an early exit on a match would show as a ratio below 1.
/// </remarks>
[Config(typeof(ShortJobConfig))]
public class AccessKeyBenchmarks
{
    /// <summary>The length of every configured key and of the nearly right ones, so only their content differs.</summary>
    public const int KeyLength = 32;

    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private readonly (string Primary, string Secondary)[] keys = new (string, string)[5];
    private readonly AccessOptions access;
    private readonly string opsKey;
    private readonly string statisticsKey;
    private readonly string wrongFirst;
    private readonly string wrongLast;
    private readonly string oneCharacter;
    private readonly string fourKilobytes;
    private readonly string unknown;

    public AccessKeyBenchmarks()
    {
        // Fixed seed: every run presents and configures the same keys, so runs compare with each other.
        var random = new Random(20261206);
        string NewKey() => new(random.GetItems(Alphabet.AsSpan(), KeyLength));

        var pairs = new KeyPair[5];
        for (var i = 0; i < pairs.Length; i++)
        {
            string primary = NewKey(), secondary = NewKey();

            // Alternate which slot holds a digest: a plain setting is hashed on every check, a digest only decoded.
            pairs[i] = i % 2 == 0
                ? new KeyPair { Primary = primary, Secondary = AccessOptions.HashOf(secondary) }
                : new KeyPair { Primary = AccessOptions.HashOf(primary), Secondary = secondary };
            keys[i] = (primary, secondary);
        }

        access = new AccessOptions { Statistics = pairs[0], PowerGrid = pairs[1], Transport = pairs[2], Environment = pairs[3],
            Ops = new OpsAccessOptions { Primary = pairs[4].Primary, Secondary = pairs[4].Secondary } };
        statisticsKey = keys[0].Primary;
        opsKey = keys[4].Secondary;
        wrongFirst = Other(opsKey[0]) + opsKey[1..];
        wrongLast = opsKey[..^1] + Other(opsKey[^1]);
        oneCharacter = opsKey[..1];
        fourKilobytes = string.Concat(Enumerable.Repeat(opsKey, 4096 / KeyLength));
        unknown = NewKey();
    }

    [GlobalSetup]
    public void Setup()
    {
        // A benchmark of the wrong answer measures nothing: each key must authenticate exactly as intended.
        Expect(opsKey, new Caller(AccessOptions.OpsPrincipal, "secondary"));
        Expect(statisticsKey, new Caller(FeedSource.Statistics, "primary"));
        foreach (var (name, key) in (ReadOnlySpan<(string, string)>)[
            ("wrong first", wrongFirst), ("wrong last", wrongLast), ("1 char", oneCharacter), ("4 KB", fourKilobytes),
            ("unknown", unknown), ("no key", "")])
        {
            Expect(key, null, name);
        }
    }

    [Benchmark(Baseline = true, Description = "ops key (last checked)")]
    public Caller? OpsKey() => access.Authenticate(opsKey);

    [Benchmark(Description = "statistics key (first checked)")]
    public Caller? StatisticsKey() => access.Authenticate(statisticsKey);

    [Benchmark(Description = "ops key, 1st char wrong")]
    public Caller? WrongFirstCharacter() => access.Authenticate(wrongFirst);

    [Benchmark(Description = "ops key, last char wrong")]
    public Caller? WrongLastCharacter() => access.Authenticate(wrongLast);

    [Benchmark(Description = "unknown, 32 chars")]
    public Caller? Unknown() => access.Authenticate(unknown);

    [Benchmark(Description = "unknown, 1 char")]
    public Caller? OneCharacter() => access.Authenticate(oneCharacter);

    [Benchmark(Description = "unknown, 4 KB")]
    public Caller? FourKilobytes() => access.Authenticate(fourKilobytes);

    [Benchmark(Description = "no key (empty)")]
    public Caller? Empty() => access.Authenticate(string.Empty);

    private void Expect(string key, Caller? expected, string? name = null)
    {
        var actual = access.Authenticate(key);
        if (actual != expected)
        {
            throw new InvalidOperationException(
                $"{name ?? expected?.Principal} key ({key.Length} chars): authenticates as {actual?.ToString() ?? "nobody"}, not " +
                $"{expected?.ToString() ?? "nobody"}.");
        }
    }

    private static char Other(char c) => c == Alphabet[0] ? Alphabet[1] : Alphabet[0];
}
