using BpClub.Domain.Programme;
using Npgsql;
using Orleans.Concurrency;

namespace BpClub.Grains.Keys;

/// <summary>
/// Reads partners and promotions for members: only names, rates, rules and periods leave it, never ids or keys. A
/// partner at rate 0 earns nothing and is not listed; a promotion's stations are named by their names and addresses.
/// A promotion only for other levels than the member's is not shown at all.
/// </summary>
[StatelessWorker]
public sealed class ProgrammeDirectoryGrain(NpgsqlDataSource database, IOptions<ProgrammeRules> rules) : Grain,
    IProgrammeDirectoryGrain
{
    private readonly Dictionary<int, string> _levelNames = rules.Value.Levels.ToDictionary(l => l.Level, l => l.Name);

    public async Task<IReadOnlyList<PartnerListing>> Partners()
    {
        await using var command = database.CreateCommand(
            "select name, points_per_uah from partners where points_per_uah > 0 order by name, partner_id");
        var partners = new List<PartnerListing>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) partners.Add(new PartnerListing(reader.GetString(0), reader.GetDecimal(1)));
        return partners;
    }

    public async Task<IReadOnlyList<OfferModel>> Offers(DateTimeOffset now, TimeSpan horizon, int level)
    {
        var promotions = (await GrainFactory.GetGrain<IPromotionCatalogGrain>(0).List())
            .Where(p => p.EndsAt > now && p.StartsAt < now + horizon)
            .Where(p => p.Levels is not { Count: > 0 } || p.Levels.Contains(level))
            .OrderBy(p => p.StartsAt > now).ThenBy(p => p.StartsAt > now ? p.StartsAt : p.EndsAt)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var stations = await StationsOf(promotions.SelectMany(p => p.StationIds ?? []).Distinct().ToArray());
        return promotions.Select(p => new OfferModel(p.Name, p.StartsAt, p.EndsAt, p.StartsAt <= now,
            new OfferRule(p.Multiplier, p.BonusPoints, Listed(p.ProductCodes), Listed(p.Categories),
                p.StationIds is { Count: > 0 } ids
                    ? ids.Where(stations.ContainsKey).Select(id => stations[id]).OrderBy(s => s.Name).ToList()
                    : null,
                LevelNames(p.Levels)))).ToList();
    }

    private IReadOnlyList<string>? LevelNames(IReadOnlyList<int>? levels) => levels is { Count: > 0 }
        ? levels.Order().Where(_levelNames.ContainsKey).Select(l => _levelNames[l]).ToList()
        : null;

    private static IReadOnlyList<string>? Listed(IReadOnlyList<string>? values) =>
        values is { Count: > 0 } ? values : null;

    private async Task<Dictionary<string, OfferStation>> StationsOf(string[] ids)
    {
        var stations = new Dictionary<string, OfferStation>();
        if (ids.Length == 0) return stations;
        await using var command = database.CreateCommand(
            "select station_id, name, address from stations where station_id = any(@ids)");
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            stations[reader.GetString(0)] = new OfferStation(reader.GetString(1), reader.GetString(2));
        return stations;
    }
}
