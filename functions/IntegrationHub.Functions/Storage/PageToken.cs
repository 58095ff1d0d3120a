using System.Buffers.Text;
using System.Text;

namespace IntegrationHub.Functions.Storage;

// An opaque page token: a version, a dot, and base64url of two parts joined by a bar.
internal static class PageToken
{
    public static string Encode(string version, string first, string rest) =>
        $"{version}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{first}|{rest}"))}";

    // Returns the two parts; null for a token of another version, or not one at all.
    public static (string Head, string Tail)? Decode(string token, string version)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!token.StartsWith(version + ".", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(version.Length + 1)));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return bar < 0 ? null : (text[..bar], text[(bar + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
