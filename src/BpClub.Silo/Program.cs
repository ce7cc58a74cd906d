using BpClub.Grains.Storage;
using BpClub.Hosting;
using BpClub.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = WebApplication.CreateBuilder(args);

if (args is ["check-programme", ..]) return ProgrammeCheck.Run(builder.Configuration, Console.Out);

if (args is ["migrate", ..])
{
    // `./bpclub migrate` and the Kubernetes schema Job: apply the schema and exit.
    builder.Services.AddBpClubStorage(builder.Configuration, BpClubPostgres.ConnectionString(builder.Configuration));
    using var migrating = builder.Build();
    await migrating.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();
    return 0;
}

builder.UseOrleans(silo => silo.AddBpClubCluster(builder.Configuration).AddBpClubGrains(builder.Configuration));
builder.AddSiloHttp().UseGracefulShutdown();

var app = builder.Build();
app.MapSiloHttp();
// The schema is applied before the silo joins: clustering needs its tables.
await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();
await app.RunAsync();
return 0;
