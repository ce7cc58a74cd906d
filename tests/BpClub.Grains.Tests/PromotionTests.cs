using BpClub.Grains.Promotions.Storage;
using BpClub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BpClub.Grains.Tests;

[Collection(RealClockCluster.Name)]
public sealed class PromotionTests(ClusterFixture fixture)
{
    private readonly TestStation _till = new();
    private async Task AddPromotion(string id, string? productCodes, string? categories, decimal? multiplier,
        long? bonus)
    {
        await using var command = fixture.Cluster.Database.CreateCommand("""
            insert into promotions
                (promotion_id, name, starts_at, ends_at, product_codes, categories, multiplier, bonus_points)
            values (@id, @id, now() - interval '1 day', now() + interval '1 day',
                string_to_array(@products, ','), string_to_array(@categories, ','), @multiplier, @bonus)
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.Add(
            new Npgsql.NpgsqlParameter("products",
                NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)productCodes ?? DBNull.Value });
        command.Parameters.Add(
            new Npgsql.NpgsqlParameter("categories",
                NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)categories ?? DBNull.Value });
        command.Parameters.Add(
            new Npgsql.NpgsqlParameter("multiplier",
                NpgsqlTypes.NpgsqlDbType.Numeric) { Value = (object?)multiplier ?? DBNull.Value });
        command.Parameters.Add(
            new Npgsql.NpgsqlParameter("bonus",
                NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)bonus ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
        foreach (var silo in fixture.Cluster.Cluster.Silos)
            fixture.Cluster.Cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<ActivePromotions>()
                .Invalidate();
    }

    [Fact]
    public async Task Promotions_from_the_table_apply_to_their_lines_best_one_per_line()
    {
        var product = $"P{Guid.NewGuid():N}"[..12];
        var category = $"c{Guid.NewGuid():N}"[..12];
        await AddPromotion($"{product}-x2", product, null, 2m, null);
        await AddPromotion($"{product}-x3", product, null, 3m, null);
        await AddPromotion($"{category}-bonus", null, category, null, 15);
        var card = await fixture.Cluster.Grains.Issued();

        var result = await card.Accrue(
            _till.Receipt("r-1", Testing.Cards.FuelLine(10m, product), Testing.Cards.ShopLine(40m, category),
                Testing.Cards.FuelLine(10m))).Ok();

        // 10 L × 3 + (2 + 15) + 10 L × 1
        Assert.Equal(57, result.PointsEarned.Value);
        Assert.Contains(result.Breakdown, b => b.Reason == $"promotion:{product}-x3" && b.Points.Value == 20);
        Assert.Contains(result.Breakdown, b => b.Reason == $"promotion:{category}-bonus" && b.Points.Value == 15);
    }
}
