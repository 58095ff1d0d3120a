using IntegrationHub.Core.Validation;
using IntegrationHub.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// Before anything can build a regex: schema `pattern`s must run with a timeout.
RegexTimeout.Apply();

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddHubServices(builder.Configuration);
builder.Build().Run();
