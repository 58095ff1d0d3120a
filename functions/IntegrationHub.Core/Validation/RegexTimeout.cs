using System.Text.RegularExpressions;

namespace IntegrationHub.Core.Validation;

/// <summary>
/// JSON Schema <c>pattern</c> runs .NET regexes with no timeout by default; a catastrophic pattern against a hostile
/// string can hold a worker for tens of seconds. The process-wide default is read once, by the first regex ever
/// built, so every entry point calls <see cref="Apply"/> as its very first statement.
/// </summary>
public static class RegexTimeout
{
    /// <summary>
    /// Wall-clock time per match. The schemas' own patterns match in microseconds, so this only ever stops a runaway
    /// backtrack; at 200 ms a thread merely descheduled on a busy two-core host timed out on a valid feed.
    /// </summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(1);

    public static void Apply() => AppContext.SetData("REGEX_DEFAULT_MATCH_TIMEOUT", Default);

    public static bool IsInEffect() => new Regex("^$").MatchTimeout != Regex.InfiniteMatchTimeout;
}
