using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions.Ops;

/// <summary>The optional body of an instance action, <c>{"reason": "..."}</c>.</summary>
public sealed record ReasonRequest([property: Description("Why, at most 1000 characters (kept in the audit log).")] string? Reason);

// The one path of every ops function once the request pipeline admitted the caller: act as them, answer.
internal static class OpsCall
{
    private const int MaxReasonLength = 1000;
    private const int MaxReasonBytes = 16 * 1024;

    public static async Task<IActionResult> RunAsync(HttpRequest request, Func<OpsActor, Task<OpsAnswer>> action)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(action);
        return (await action(OpsActor.Of(request.Admitted().Caller)).ConfigureAwait(false)).ToActionResult();
    }

    // For actions that record why: `reason` in the query or the JSON body; a bad body is a 400.
    public static Task<IActionResult> RunWithReasonAsync(HttpRequest request, Func<string?, OpsActor, Task<OpsAnswer>> action,
        CancellationToken cancellationToken) =>
        RunAsync(request, async actor => await ReadReasonAsync(request, cancellationToken).ConfigureAwait(false) switch
        {
            (_, { } invalid) => invalid,
            (var reason, null) => await action(reason, actor).ConfigureAwait(false),
        });

    private static async Task<(string? Reason, OpsAnswer? Invalid)> ReadReasonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reason = request.Query.First("reason");
        var body = await RequestBody.ReadLimitedAsync(request, MaxReasonBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (null, BadReason("The body is too large; send {\"reason\": \"...\"} of at most 1000 characters."));
        }

        if (body.Value.Span.IndexOfAnyExcept(" \t\r\n"u8) >= 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body.Value);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return (null, BadReason("The body must be a JSON object: {\"reason\": \"...\"}."));
                }

                if (document.RootElement.TryGetProperty("reason", out var value))
                {
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        return (null, BadReason("'reason' must be a string."));
                    }

                    reason = value.GetString();
                }
            }
            catch (JsonException ex)
            {
                return (null, BadReason($"The body is not JSON: {ex.Message}"));
            }
        }

        return reason is { Length: > MaxReasonLength }
            ? (null, BadReason("The reason is longer than 1000 characters."))
            : (string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), null);
    }

    private static OpsAnswer BadReason(string detail) => OpsAnswer.BadParameter("reason", "Invalid reason", detail);
}
