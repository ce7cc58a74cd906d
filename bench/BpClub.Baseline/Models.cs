using System.Text.Json;
using System.Text.Json.Serialization;

namespace BpClub.Baseline;

// The request and answer bodies of the endpoints the bench uses, in BpClub's JSON shape.

public sealed record IssueCardRequest(string? FirstName, string? LastName, string? Phone, DateOnly? BirthDate,
    bool? Consent);

public sealed record PurchaseLineRequest(string? Type, string? ProductCode, string? Category, decimal? Litres,
    decimal? Amount);

public sealed record PurchaseRequest(string? ReceiptId, string? CardNumber, DateTimeOffset? OccurredAt,
    string? PaymentMethod, List<PurchaseLineRequest?>? Lines);

public sealed record BalanceModel(long Available, long Total, long OnHold, DateTimeOffset AsOf);

public sealed record PurchaseResult(string ReceiptId, long PointsEarned, BalanceModel Balance);

public sealed record CardSummary(string CardNumber, string Status, BalanceModel Balance, DateTimeOffset IssuedAt);

public sealed record StationRequest(string? Name, string? Address);

public sealed record StationModel(string Id, string Name, string Address, string? ApiKey);

public sealed record KeyModel(string ApiKey);

public sealed record PromotionRequest(string? Name, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt,
    List<string>? ProductCodes, decimal? Multiplier);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IssueCardRequest))]
[JsonSerializable(typeof(PurchaseRequest))]
[JsonSerializable(typeof(BalanceModel))]
[JsonSerializable(typeof(PurchaseResult))]
[JsonSerializable(typeof(CardSummary))]
[JsonSerializable(typeof(StationRequest))]
[JsonSerializable(typeof(StationModel))]
[JsonSerializable(typeof(KeyModel))]
[JsonSerializable(typeof(PromotionRequest))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails))]
public sealed partial class BaselineJson : JsonSerializerContext;
