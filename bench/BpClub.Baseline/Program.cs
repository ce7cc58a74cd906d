using BpClub.Baseline;
using Npgsql;

// The bench's baseline: BpClub's POS contract for issue, purchase and balance as a plain ASP.NET Core
// service, each request one PostgreSQL transaction. Small on purpose, but not slow on purpose:
// prepared statements, one pooled data source, source-generated JSON.
var builder = WebApplication.CreateSlimBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("Baseline")
    ?? throw new InvalidOperationException("ConnectionStrings__Baseline is required");
var operatorKey = builder.Configuration["BPCLUB_OPERATOR_KEY"]
    ?? throw new InvalidOperationException("BPCLUB_OPERATOR_KEY is required");
builder.Services.ConfigureHttpJsonOptions(o =>
    o.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJson.Default));
builder.Services.AddProblemDetails();

var dataSource = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(connectionString)
{
    MaxAutoPrepare = 20, AutoPrepareMinUsages = 1, NoResetOnClose = true,
}.ConnectionString).Build();
builder.Services.AddSingleton(dataSource);
builder.Services.AddSingleton(new Keys(operatorKey));
builder.Services.AddSingleton<Promotions>();
builder.Services.AddSingleton<Store>();

var app = builder.Build();
await Schema.Create(dataSource);
await app.Services.GetRequiredService<Promotions>().Load();
app.MapGet("/health/live", () => Results.Ok());
app.MapGet("/health/ready", () => Results.Ok());
app.MapPos();
app.MapAdmin();
app.Run();
