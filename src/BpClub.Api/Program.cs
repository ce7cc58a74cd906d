using BpClub.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
app.UseApplicationPipeline();
app.MapApplicationEndpoints();
app.Run();

/// <summary>The front end's entry point, visible to the HTTP tests' WebApplicationFactory.</summary>
public partial class Program;
