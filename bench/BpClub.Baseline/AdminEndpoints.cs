namespace BpClub.Baseline;

/// <summary>What the bench's set-up needs from the operator: a station with its key, a promotion.</summary>
public static class AdminEndpoints
{
    public static void MapAdmin(this WebApplication app)
    {
        var admin = app.MapGroup("/api/admin/v1");
        admin.MapPut("/stations/{id}", PutStation);
        admin.MapPost("/stations/{id}/key", async (string id, HttpRequest http, Keys keys, Store store) =>
        {
            if (!keys.IsOperator(http)) return Results.Unauthorized();
            var (key, hash) = keys.NewStationKey(id);
            await store.SaveStation(id, id, "", hash);
            return Results.Json(new KeyModel(key), BaselineJson.Default.KeyModel);
        });
        admin.MapPut("/promotions/{id}", PutPromotion);
    }

    private static async Task<IResult> PutStation(string id, StationRequest? request, HttpRequest http, Keys keys,
        Store store)
    {
        if (!keys.IsOperator(http)) return Results.Unauthorized();
        var (key, hash) = keys.NewStationKey(id);
        await store.SaveStation(id, request?.Name ?? id, request?.Address ?? "", hash);
        var station = new StationModel(id, request?.Name ?? id, request?.Address ?? "", key);
        return Results.Json(station, BaselineJson.Default.StationModel);
    }

    private static async Task<IResult> PutPromotion(string id, PromotionRequest? request, HttpRequest http, Keys keys,
        Store store, Promotions promotions)
    {
        if (!keys.IsOperator(http)) return Results.Unauthorized();
        if (request is not { StartsAt: { } starts, EndsAt: { } ends, ProductCodes.Count: > 0, Multiplier: > 0m } r
            || ends <= starts)
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["body"] = ["startsAt < endsAt, productCodes, multiplier > 0."],
            });
        await store.SavePromotion(id, [.. r.ProductCodes!], r.Multiplier!.Value, starts.ToUniversalTime(),
            ends.ToUniversalTime());
        await promotions.Load();
        return Results.Ok();
    }
}
