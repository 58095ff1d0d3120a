using System.Text.RegularExpressions;

namespace IntegrationHub.Core.Validation;

/// <summary>
/// JSON Schema <c>pattern</c> runs .NET regexes with no timeout by default; a catastrophic pattern against a hostile
/// string can hold a worker for tens of seconds. The process-wide default is read once, by the first regex ever
/// built, so every entry point calls <see cref="Apply"/> as its very first statement.
/// </summary>
public static class RegexTimeout
{
    public static readonly TimeSpan Default = TimeSpan.FromMilliseconds(200);

    public static void Apply() => AppContext.SetData("REGEX_DEFAULT_MATCH_TIMEOUT", Default);

    public static bool IsInEffect() => new Regex("^$").MatchTimeout != Regex.InfiniteMatchTimeout;
}
