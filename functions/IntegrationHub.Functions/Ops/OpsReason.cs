using System.ComponentModel;
using System.Text.Json;
using IntegrationHub.Functions.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions.Ops;

/// <summary>The optional body of an instance action; <see cref="OpsReason"/> reads it.</summary>
public sealed record ReasonRequest([property: Description("Why, at most 1000 characters (kept in the audit log).")] string? Reason);

/// <summary>The reason an operator gives for an action: <c>{"reason": "..."}</c> in the body, or <c>?reason=</c>.</summary>
internal static class OpsReason
{
    public const int MaxLength = 1000;
    private const int MaxBodyBytes = 16 * 1024;

    public static async Task<(string? Reason, IActionResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string? reason = request.Query["reason"].FirstOrDefault();
        var body = await RequestBody.ReadLimitedAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (null, Invalid("The body is too large; send {\"reason\": \"...\"} of at most 1000 characters."));
        }

        if (body.Value.Length > 0 && body.Value.Span.IndexOfAnyExcept(" \t\r\n"u8) >= 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body.Value);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return (null, Invalid("The body must be a JSON object: {\"reason\": \"...\"}."));
                }

                if (document.RootElement.TryGetProperty("reason", out var value))
                {
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        return (null, Invalid("'reason' must be a string."));
                    }

                    reason = value.GetString();
                }
            }
            catch (JsonException ex)
            {
                return (null, Invalid($"The body is not JSON: {ex.Message}"));
            }
        }

        if (reason is { Length: > MaxLength })
        {
            return (null, Invalid("The reason is longer than 1000 characters."));
        }

        return (string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), null);
    }

    private static ObjectResult Invalid(string detail) =>
        Problems.Create(StatusCodes.Status400BadRequest, "Invalid reason", detail, new Dictionary<string, object?> { ["parameter"] = "reason" });
}
