using Microsoft.AspNetCore.Http;
using IntegrationHub.Functions.Access;

namespace IntegrationHub.Functions.Http;

/// <summary>
/// What <see cref="HubRequestPipeline"/> hands a function it admitted: the caller its key belongs to (anonymous on
/// routes without a key), and what the function tells the pipeline back for the audit.
/// </summary>
public sealed class AdmittedCall(Caller caller)
{
    public Caller Caller { get; } = caller;

    /// <summary>A push's feed id once its body was read, for the audit line (<c>feeds/{source}</c> until then).</summary>
    public string? FeedId { get; set; }
}

public static class AdmittedCallExtensions
{
    /// <summary>The call the pipeline admitted; a function run outside the pipeline is a wiring error, not an anonymous call.</summary>
    public static AdmittedCall Admitted(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.HttpContext.Features.Get<AdmittedCall>()
            ?? throw new InvalidOperationException($"{request.Path} was not admitted by the hub's request pipeline.");
    }
}
