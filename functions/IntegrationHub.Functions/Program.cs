using IntegrationHub.Core.Validation;
using IntegrationHub.Functions;
using IntegrationHub.Functions.Resilience;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// Before anything can build a regex: schema `pattern`s must run with a timeout.
RegexTimeout.Apply();

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// After the ASP.NET Core integration's own middleware, so the 503 it sets as the result is executed by it.
builder.UseWhen<DependencyOutageMiddleware>(DependencyOutageMiddleware.AppliesTo);
// One JSON configuration for the Durable data and the HTTP answers, the same the local host uses.
builder.Services.AddHubSerialization();
builder.Services.AddHubServices(builder.Configuration);
builder.Build().Run();
