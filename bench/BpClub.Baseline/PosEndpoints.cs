namespace BpClub.Baseline;

/// <summary>The tills' endpoints the bench drives: issue a card, record a purchase, read a balance.</summary>
public static class PosEndpoints
{
    private const decimal ShopUahPerPoint = 20m;

    public static void MapPos(this WebApplication app)
    {
        var pos = app.MapGroup("/api/pos/v1");
        pos.MapPut("/cards/{cardNumber}", Issue);
        pos.MapPost("/purchases", Purchase);
        pos.MapGet("/cards/{cardNumber}/balance", Balance);
    }

    private static async Task<IResult> Issue(string cardNumber, IssueCardRequest? request, HttpRequest http, Keys keys,
        Store store)
    {
        if (keys.Station(http) is not { } station) return Results.Unauthorized();
        var errors = new Dictionary<string, string[]>();
        if (!CardNumbers.IsValid(cardNumber)) errors["cardNumber"] = ["16 digits with a valid check digit."];
        if (string.IsNullOrWhiteSpace(request?.FirstName)) errors["firstName"] = ["Required."];
        if (string.IsNullOrWhiteSpace(request?.LastName)) errors["lastName"] = ["Required."];
        if (request?.Consent is not true) errors["consent"] = ["The member must consent to the programme rules."];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var now = DateTimeOffset.UtcNow;
        if (!await store.Issue(cardNumber, request!, station, now))
            return Results.Problem(statusCode: 409, title: "This card has already been issued.");
        return Results.Json(new CardSummary(cardNumber, "active", new BalanceModel(0, 0, 0, now), now),
            BaselineJson.Default.CardSummary, statusCode: 201);
    }

    private static async Task<IResult> Purchase(PurchaseRequest? request, HttpRequest http, Keys keys, Store store,
        Promotions promotions)
    {
        if (keys.Station(http) is not { } station) return Results.Unauthorized();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request?.ReceiptId) || request.ReceiptId.Length > 64)
            errors["receiptId"] = ["Required, at most 64 characters."];
        if (!CardNumbers.IsValid(request?.CardNumber)) errors["cardNumber"] = ["16 digits with a valid check digit."];
        if (request?.Lines is not { Count: > 0 } lines) errors["lines"] = ["At least one line."];
        var now = DateTimeOffset.UtcNow;
        var at = (request?.OccurredAt ?? now).ToUniversalTime();
        if (at > now.AddMinutes(5)) errors["occurredAt"] = ["Not in the future."];
        decimal litres = 0m, amount = 0m, points = 0m;
        for (var i = 0; errors.Count == 0 && i < request!.Lines!.Count; i++)
        {
            var line = request.Lines[i];
            if (line is null || line.Amount is not (>= 0m and <= 1_000_000m))
            {
                errors[$"lines[{i}].amount"] = ["0 to 1 000 000."];
                break;
            }
            amount += line.Amount.Value;
            switch (line.Type)
            {
                case "fuel" when line.Litres is > 0m and <= 1000m && !string.IsNullOrEmpty(line.ProductCode):
                    litres += line.Litres.Value;
                    points += line.Litres.Value * promotions.FuelMultiplier(line.ProductCode, at);
                    break;
                case "shop":
                    points += line.Amount.Value / ShopUahPerPoint;
                    break;
                default:
                    errors[$"lines[{i}]"] = ["A fuel line with its product code and litres, or a shop line."];
                    break;
            }
        }
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var (status, earned, balance) = await store.Purchase(station, request!.ReceiptId!, request.CardNumber!, at,
            litres, amount, (long)decimal.Floor(points));
        if (status == PurchaseStatus.UnknownCard) return Results.Problem(statusCode: 404, title: "Unknown card.");
        if (status == PurchaseStatus.OtherCard)
            return Results.Problem(statusCode: 409, title: "This receipt id was used for another card.");
        return Results.Json(new PurchaseResult(request.ReceiptId!, earned, new BalanceModel(balance, balance, 0, now)),
            BaselineJson.Default.PurchaseResult, statusCode: 201);
    }

    private static async Task<IResult> Balance(string cardNumber, HttpRequest http, Keys keys, Store store)
    {
        if (keys.Station(http) is null) return Results.Unauthorized();
        if (!CardNumbers.IsValid(cardNumber))
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["cardNumber"] = ["16 digits with a valid check digit."],
            });
        if (await store.Balance(cardNumber) is not { } balance)
            return Results.Problem(statusCode: 404, title: "Unknown card.");
        return Results.Json(new BalanceModel(balance, balance, 0, DateTimeOffset.UtcNow),
            BaselineJson.Default.BalanceModel);
    }
}
