using System.Reflection;
using IntegrationHub.Functions;
using IntegrationHub.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Integration.Tests.Http;

/// <summary>Every HTTP function says once who may call it, and the worker middleware finds that from the function's entry point.</summary>
public sealed class AccessDeclarationTests
{
    private static readonly IReadOnlyList<MethodInfo> Functions = [.. typeof(HubServiceCollectionExtensions).Assembly.GetExportedTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => m.IsDefined(typeof(FunctionAttribute)))];

    private static IEnumerable<MethodInfo> HttpFunctions => Functions.Where(m => m.GetParameters().Any(p => p.IsDefined(typeof(HttpTriggerAttribute))));

    [Fact]
    public void EveryHttpFunction_DeclaresExactlyOnePolicy_AndNoOtherFunctionDeclaresOne()
    {
        Assert.True(HttpFunctions.Count() > 20, $"Found only {HttpFunctions.Count()} HTTP functions.");
        var undeclared = HttpFunctions.Where(m => m.GetCustomAttributes<AccessAttribute>().Count() != 1).Select(Name).ToList();
        Assert.True(undeclared.Count == 0, $"HTTP functions without exactly one [Access]: {string.Join(", ", undeclared)}");
        var stray = Functions.Except(HttpFunctions).Where(m => m.IsDefined(typeof(AccessAttribute))).Select(Name).ToList();
        Assert.True(stray.Count == 0, $"[Access] on functions that are not HTTP: {string.Join(", ", stray)}");
    }

    [Fact]
    public void EveryHttpFunction_PolicyIsFoundFromItsEntryPoint()
    {
        foreach (var method in HttpFunctions)
        {
            // The worker's FunctionDefinition.EntryPoint: the declaring type's full name and the method's.
            Assert.Equal(AccessAttribute.Of(method).Policy, HubRequestMiddleware.PolicyOf($"{method.DeclaringType!.FullName}.{method.Name}").Policy);
        }
    }

    [Theory]
    [InlineData("PushFeed", AccessPolicy.OwnSource)]
    [InlineData("ValidateFeed", AccessPolicy.OwnSource)]
    [InlineData("ListSchemas", AccessPolicy.Anonymous)]
    [InlineData("GetSchema", AccessPolicy.Anonymous)]
    [InlineData("GetSchemaOfTwoSegments", AccessPolicy.Anonymous)]
    [InlineData("GetFeedStatus", AccessPolicy.AnyKey)]
    [InlineData("StartPull", AccessPolicy.Ops)]
    [InlineData("ListAudit", AccessPolicy.Ops)]
    [InlineData("GetDataset", AccessPolicy.Anonymous)]
    [InlineData("Health", AccessPolicy.Anonymous)]
    [InlineData("OpsConsole", AccessPolicy.Page)]
    public void Function_DeclaresTheRoutesPolicy(string function, AccessPolicy policy)
    {
        Assert.Equal(policy, AccessAttribute.Of(Functions.Single(m => m.GetCustomAttribute<FunctionAttribute>()!.Name == function)).Policy);
    }

    [Theory]
    [InlineData("PushFeed", "push")]
    [InlineData("ValidateFeed", "validate")]
    public void OwnSourceFunction_NamesItsAuditAction(string function, string action)
    {
        Assert.Equal(action, AccessAttribute.Of(Functions.Single(m => m.GetCustomAttribute<FunctionAttribute>()!.Name == function)).AuditAction);
    }

    private static string Name(MethodInfo method) => $"{method.DeclaringType!.Name}.{method.Name}";
}
