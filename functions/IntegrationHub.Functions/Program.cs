using IntegrationHub.Core.Validation;
using IntegrationHub.Functions;
using IntegrationHub.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// Before anything can build a regex: schema `pattern`s must run with a timeout.
RegexTimeout.Apply();

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// Access, rate limits, the push audit, security headers and the 503 rule around every HTTP function: after the ASP.NET
// Core integration's own middleware, which executes the answer this one leaves as the result.
builder.UseWhen<HubRequestMiddleware>(HubRequestMiddleware.AppliesTo);
// One JSON configuration for the Durable data and the HTTP answers, the same the local host uses.
builder.Services.AddHubSerialization();
builder.Services.AddHubServices(builder.Configuration);
builder.Build().Run();
