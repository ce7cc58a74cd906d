using BpClub.Domain.Programme;
using BpClub.Grains;
using BpClub.Grains.Cards;
using BpClub.Grains.Cards.Storage;
using BpClub.Grains.Keys.Storage;
using BpClub.Grains.Members;
using BpClub.Grains.Members.Storage;
using BpClub.Grains.Promotions.Storage;
using BpClub.Grains.Sms;
using BpClub.Grains.Storage;
using BpClub.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;

namespace BpClub.Silo;

/// <summary>Everything a BpClub silo needs, shared by the real host and the test cluster.</summary>
public static class SiloSetup
{
    /// <summary>The section bound to Orleans' ReminderOptions.</summary>
    public const string RemindersSectionName = "Reminders";

    /// <summary>Grains, their storage and the loyalty rules; clustering is the caller's (BpClubCluster).</summary>
    public static ISiloBuilder AddBpClubGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var connectionString = BpClubPostgres.ConnectionString(configuration);
        silo.Services.AddBpClubStorage(configuration, connectionString);
        var orleans = BpClubPostgres.WithoutReset(connectionString);

        silo.AddAdoNetGrainStorage(CardGrain.StorageName, o =>
        {
            o.Invariant = BpClubPostgres.Invariant;
            o.ConnectionString = orleans;
            o.GrainStorageSerializer = new JsonGrainStorageSerializer();
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = BpClubPostgres.Invariant;
            o.ConnectionString = orleans;
        });
        silo.Configure<ReminderOptions>(configuration.GetSection(RemindersSectionName));
        return silo;
    }

    /// <summary>The stores, the programme rules and the members' settings: what a silo and `migrate` need.</summary>
    public static IServiceCollection AddBpClubStorage(this IServiceCollection services, IConfiguration configuration,
        string connectionString)
    {
        services.AddOptions<ProgrammeRules>()
            .Bind(configuration.GetSection(ProgrammeRules.SectionName))
            .PostConfigure(rules => rules.ApplyDefaults())
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProgrammeRules>, ProgrammeRulesValidator>();
        services.AddBpClubPostgres(connectionString);
        services.AddSingleton(TimeProvider.System);
        // The SMS quota counts what it refuses, so metrics are wanted by `migrate` too.
        services.AddMetrics();
        services.AddSingleton<GrainMetrics>();
        services.AddSingleton<CardLedgerStore>();
        services.AddSingleton<LedgerGroupCommit>();
        services.AddSingleton<LedgerTailReads>();
        services.AddSingleton<ICardLedger, PostgresCardLedger>();
        services.AddSingleton<ActivePromotions>();
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<MemberStore>();
        services.AddSingleton<KeyHolderStore>();
        services.AddSingleton<PromotionStore>();
        services.AddSingleton<MemberPasswords>();
        services.AddOptions<CabinetOptions>()
            .Bind(configuration.GetSection(CabinetOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Sms:Provider: the development outbox file, or a real HTTP provider (required in Production).
        services.AddBpClubSms(configuration);
        return services;
    }
}
