using System.Security.Cryptography;
using System.Text.Json;

namespace BpClub.Grains.Cards;

/// <summary>How a card command's end becomes an <see cref="Outcome{T}"/>: rejections, replays and conflicts.</summary>
internal static class CardOutcomes
{
    public static Outcome<T> Refuse<T>(Rejection rejection) => rejection.Kind switch
    {
        RejectionKind.NotIssued => Outcome<T>.Fail(OutcomeStatus.NotFound, "Unknown card."),
        RejectionKind.ReceiptNotFound => Outcome<T>.Fail(OutcomeStatus.NotFound, rejection.Detail),
        RejectionKind.AlreadyIssued or RejectionKind.ReceiptElsewhere
            => Outcome<T>.Fail(OutcomeStatus.Conflict, rejection.Detail),
        RejectionKind.CardReplaced => Outcome<T>.Fail(OutcomeStatus.CardReplaced, rejection.Detail),
        _ => Outcome<T>.Fail(OutcomeStatus.Rejected, rejection.Detail),
    };

    public static Outcome<T> NotACard<T>() =>
        Outcome<T>.Invalid(new() { ["cardNumber"] = [CardNumber.Malformed] });

    /// <summary>The first result when the payload is the same, otherwise a conflict.</summary>
    public static Outcome<T> Replay<T>(OperationRecord earlier, byte[] hash) =>
        earlier.RequestHash.AsSpan().SequenceEqual(hash)
            ? Outcome<T>.Replayed(JsonSerializer.Deserialize<T>(earlier.ResultJson, LedgerJson.Options)!)
            : Outcome<T>.Fail(OutcomeStatus.Conflict, "This operation id was already used with a different request.");

    public static byte[] RequestHash(object request) =>
        SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, request.GetType(), LedgerJson.Options));
}
