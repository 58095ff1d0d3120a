using System.Globalization;
using System.Text;

namespace IntegrationHub.Functions.Audit;

/// <summary>How much of a field an audit line keeps: caller text is capped and made single-line before it is written.</summary>
public static class AuditText
{
    /// <summary>Principals, key slots, actions and outcomes: short names.</summary>
    public const int MaxName = 64;

    /// <summary>A target: a feed id, an instance id or <c>feeds/{source}</c>.</summary>
    public const int MaxTarget = 256;

    /// <summary>A detail: a problem's title and detail, or what an action did.</summary>
    public const int MaxDetail = 1024;

    /// <summary>The mark at the end of a value that was cut.</summary>
    public const string Cut = "…";

    /// <summary>
    /// <paramref name="value"/> without control or format characters (line breaks, escapes, bidirectional overrides) and at
    /// most <paramref name="max"/> characters long, ending in <see cref="Cut"/> when it was longer. A surrogate pair is
    /// never split.
    /// </summary>
    public static string Cap(string value, int max)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 2);

        // Kept characters up to one past the cap: enough to know whether the value was cut, never more.
        var kept = new StringBuilder(Math.Min(value.Length, max + 1));
        for (var index = 0; index < value.Length && kept.Length <= max; index++)
        {
            if (char.IsSurrogatePair(value, index))
            {
                kept.Append(value, index, 2);
                index++;
            }
            else if (char.GetUnicodeCategory(value[index]) is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator))
            {
                kept.Append(value[index]);
            }
        }

        if (kept.Length <= max)
        {
            return kept.ToString();
        }

        var length = max - Cut.Length;
        if (char.IsHighSurrogate(kept[length - 1]))
        {
            length--;
        }

        return kept.ToString(0, length) + Cut;
    }
}
