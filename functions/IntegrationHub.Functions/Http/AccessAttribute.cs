using System.Reflection;

namespace IntegrationHub.Functions.Http;

/// <summary>Who may call an HTTP function; <see cref="HubRequestPipeline"/> applies it before the function runs.</summary>
public enum AccessPolicy
{
    /// <summary>No key: published data, health, the OpenAPI document. API security headers, cacheable answers.</summary>
    Anonymous,

    /// <summary>No key: the ops console, the dashboard and their files. The pages' security headers.</summary>
    Page,

    /// <summary>Any known key, a department's or the ops key (401 otherwise); the function decides what that caller may see.</summary>
    AnyKey,

    /// <summary>
    /// A push to the <c>{source}</c> route value: a known source (404 before the key), that source's own key (401, 403),
    /// within its push budget and its pushes in progress (429). Every answer to a key holder is in the audit log; a
    /// refusal without a valid key is only counted.
    /// </summary>
    OwnSource,

    /// <summary>
    /// Ops only (401, 403), within the caller's budget (429): a person signed in with Entra ID — <c>Ops.Reader</c> for
    /// reads (GET), <c>Ops.Operator</c> for everything — or, in local development, the ops key. Reads are audited.
    /// </summary>
    Ops,
}

/// <summary>The access policy of one HTTP function, declared once on its <c>[Function]</c> method.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AccessAttribute(AccessPolicy policy) : Attribute
{
    public AccessPolicy Policy { get; } = policy;

    /// <summary>For <see cref="AccessPolicy.Ops"/>: the 403 detail a department key gets instead of the ops surface's default.</summary>
    public string? Forbidden { get; set; }

    /// <summary>
    /// For <see cref="AccessPolicy.OwnSource"/>: the action its audit lines name, <c>push</c> unless the route only checks
    /// a feed (<c>validate</c>).
    /// </summary>
    public string AuditAction { get; set; } = Access.AccessGate.PushAction;

    /// <summary>For <see cref="AccessPolicy.Ops"/>: a route that only reads though its method is not GET, which a reader may call.</summary>
    public bool Reads { get; set; }

    /// <summary>
    /// For <see cref="AccessPolicy.Page"/> and <see cref="AccessPolicy.Anonymous"/>: part of the ops surface (the
    /// console and its sign-in settings), answered only to the ops networks, as the
    /// <see cref="AccessPolicy.Ops"/> routes are.
    /// </summary>
    public bool OpsNetwork { get; set; }

    /// <summary>The policy <paramref name="method"/> declares; a function without one is refused rather than left open.</summary>
    public static AccessAttribute Of(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method.GetCustomAttribute<AccessAttribute>()
            ?? throw new InvalidOperationException($"HTTP function {method.DeclaringType?.Name}.{method.Name} declares no [Access] policy.");
    }
}
