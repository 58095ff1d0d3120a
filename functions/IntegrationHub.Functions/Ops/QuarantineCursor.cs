using System.Buffers.Text;
using System.Text;

namespace IntegrationHub.Functions.Ops;

/// <summary>
/// Where a quarantine page stopped: storage's own marker, bound to the source filter it was listed with (a marker of
/// one prefix read under another would skip or repeat feeds). An opaque token: <c>q1.</c> and base64url.
/// </summary>
public static class QuarantineCursor
{
    private const string Version = "q1";

    public static string ToToken(string? source, string marker) =>
        $"{Version}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{source}|{marker}"))}";

    /// <returns>False for a token this list did not make, or made for another <paramref name="source"/>.</returns>
    public static bool TryParse(string token, string? source, out string? marker)
    {
        ArgumentNullException.ThrowIfNull(token);
        marker = null;
        if (!token.StartsWith(Version + ".", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(Version.Length + 1)));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar < 0 || text[..bar] != (source ?? "") || bar == text.Length - 1)
            {
                return false;
            }

            marker = text[(bar + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
