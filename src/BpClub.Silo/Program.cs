using BpClub.Grains.Storage;
using Microsoft.Extensions.Configuration;
using BpClub.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);

if (args is ["migrate", ..])
{
    // `./bpclub migrate`: apply the schema and exit.
    builder.Services.AddBpClubStorage(builder.Configuration, builder.Configuration.GetConnectionString(SiloSetup.ConnectionStringName)
        ?? throw new InvalidOperationException("ConnectionStrings:BpClub is not set."));
    using var migrating = builder.Build();
    await migrating.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();
    return;
}

builder.UseOrleans(silo => silo.UseBpClubClustering(builder.Configuration).AddBpClubGrains(builder.Configuration));
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

using var host = builder.Build();
// The schema is applied before the silo joins: clustering needs its tables.
await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();
await host.RunAsync();
