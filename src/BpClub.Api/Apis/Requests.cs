using BpClub.Domain.Units;

namespace BpClub.Api.Apis;

// Request bodies as callers send them. Every field is nullable so that a missing one is reported
// by name in a 400 instead of failing to bind; the edge then parses them into domain types.

public sealed record IssueCardRequest(string? FirstName, string? LastName, string? Phone, DateOnly? BirthDate,
    bool? Consent);

public sealed record PurchaseLineRequest(string? Type, string? ProductCode, string? Category, decimal? Litres,
    decimal? Amount);

public sealed record PurchaseRequest(
    string? ReceiptId, string? CardNumber, DateTimeOffset? OccurredAt, string? PaymentMethod,
        List<PurchaseLineRequest?>? Lines);

public sealed record RedemptionRequest(string? RedemptionId, string? CardNumber, long? Points);

public sealed record RedemptionReversalRequest(string? ReversalId, string? RedemptionId, string? CardNumber);

/// <summary><see cref="Lines"/>: 1-based line numbers of the original receipt; absent or empty for the whole
/// receipt.</summary>
public sealed record RefundRequest(string? RefundId, string? ReceiptId, string? CardNumber, List<int>? Lines);

public sealed record PartnerAccrualRequest(string? PartnerTransactionId, string? CardNumber, decimal? Amount,
    DateTimeOffset? OccurredAt);

/// <summary><see cref="CardCode"/>: the secret printed on a card the till issued without a phone.</summary>
public sealed record RegistrationRequest(string? CardNumber, string? Phone, string? Password, string? CardCode);

public sealed record CodeConfirmation(string? Code);

public sealed record SignInRequest(string? Phone, string? Password);

public sealed record PasswordResetRequest(string? Phone);

public sealed record PasswordResetConfirmation(string? Code, string? NewPassword);

public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);

/// <summary><see cref="Password"/>: the member's password, needed to switch spending on.</summary>
public sealed record SpendingRequest(bool? Enabled, string? Password);

public sealed record StationRequest(string? Name, string? Address);

public sealed record PartnerRequest(string? Name, decimal? PointsPerUah);

public sealed record PromotionRequest(
    string? Name, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt,
    List<string>? StationIds, List<string>? ProductCodes, List<string>? Categories,
    decimal? Multiplier, long? BonusPoints, List<int>? Levels = null);

public sealed record TerminationRequest(DateTimeOffset? ApplicationReceivedAt, string? Reference);

/// <summary><see cref="Points"/>: positive adds to the available balance, negative takes from it.</summary>
public sealed record AdjustmentRequest(string? AdjustmentId, long? Points, string? Reason);

/// <summary><see cref="Points"/>: how many held points to release; absent for all of them.</summary>
public sealed record HoldReleaseRequest(string? ReleaseId, long? Points);

// Response bodies that are not grain models.

public sealed record RegistrationStarted(Guid RegistrationId, DateTimeOffset CodeExpiresAt);

public sealed record PasswordResetStarted(Guid ResetId, DateTimeOffset CodeExpiresAt);

public sealed record SessionResponse(string AccessToken, DateTimeOffset ExpiresAt);

public sealed record MeResponse(string CardNumber, string Phone, string? FirstName, string? LastName, string Status,
    bool SpendingEnabled, DateOnly? BirthDate = null);

public sealed record StationKeyResponse(string StationId, string Name, string Address, string? ApiKey);

public sealed record PartnerKeyResponse(string PartnerId, string Name, decimal PointsPerUah, string? ApiKey);

public sealed record SiloResponse(string Address, string Name, string HostName, string Status, DateTimeOffset StartedAt,
    int? Activations);

public sealed record ClusterResponse(int ActiveSilos, long TotalActivations, IReadOnlyList<SiloResponse> Silos);

/// <summary>The card as support looks it up: the <c>card</c> shape, its registration and its last operations.</summary>
public sealed record CardLookupResponse(
    string CardNumber, string Status, bool SpendingEnabled, BalanceModel Balance, TierModel Tier,
    DateTimeOffset? IssuedAt, DateTimeOffset? TerminatedAt, RegistrationResponse? Registration,
    IReadOnlyList<OperationResponse> LastOperations, string? ReplacedBy = null)
{
    public static CardLookupResponse From(CardSummary card, RegistrationSummary? registration,
        IReadOnlyList<SupportHistoryItem> operations) => new(
        card.CardNumber, card.Status, card.SpendingEnabled, card.Balance, card.Tier, card.IssuedAt, card.TerminatedAt,
        registration is null ? null : new RegistrationResponse(registration.MaskedPhone, registration.RegisteredAt),
        operations.Select(o => new OperationResponse(o.Item.Id, o.Item.At, o.Item.Kind, o.Item.Points, o.Item.Litres,
            o.Item.Amount, o.Item.StationId, o.Item.Description, o.Item.AvailableAt, o.Item.Reason, o.By)).ToList(),
        card.ReplacedBy);
}

/// <summary>A cabinet account as support sees it: <see cref="Phone"/> masked.</summary>
public sealed record RegistrationResponse(string Phone, DateTimeOffset RegisteredAt);

/// <summary>A history item with <see cref="By"/>, the operator who made it (adjustments, early releases).</summary>
public sealed record OperationResponse(
    string Id, DateTimeOffset At, string Kind, Points Points, Litres? Litres, Money? Amount, string? StationId,
    string Description, DateTimeOffset? AvailableAt, string? Reason, string? By);
