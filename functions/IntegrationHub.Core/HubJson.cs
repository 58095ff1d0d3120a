using System.Text.Encodings.Web;
using System.Text.Json;

namespace IntegrationHub.Core;

/// <summary>One way to write the hub's JSON documents everywhere (blobs, HTTP, CLI), so bytes and ETags agree.</summary>
public static class HubJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Area names and messages are Chinese; keep them readable rather than \uXXXX-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
