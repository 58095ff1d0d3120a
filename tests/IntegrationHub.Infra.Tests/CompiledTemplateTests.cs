namespace IntegrationHub.Infra.Tests;

public class CompiledTemplateTests
{
    private static readonly CompiledInfrastructure Infra = CompiledInfrastructure.Instance;

    [Fact]
    public void CompiledTemplate_Always_CallsNoKeyListingFunction()
    {
        var text = Infra.Template.ToJsonString();

        Assert.All(InfrastructureChecks.KeyListingFunctions, f => Assert.DoesNotContain(f, text, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void CompiledTemplate_Always_HasNoSecureParametersOrOutputs()
    {
        // Nothing secret goes through the deployment: credentials are set in Key Vault, outside the template.
        var text = Infra.Template.ToJsonString();

        Assert.DoesNotContain("\"securestring\"", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"secureobject\"", text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void Snapshot_AnyParameterFile_HasNoDiagnostics(string parameterFile)
    {
        Assert.Empty(Infra.Snapshots[parameterFile].Document["diagnostics"]?.AsArray() ?? []);
    }

    public static TheoryData<string> ParameterFiles => CompiledInfrastructure.ParameterFiles();
}
