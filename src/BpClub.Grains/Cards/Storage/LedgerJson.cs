using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BpClub.Domain.Ledger;

namespace BpClub.Grains.Cards.Storage;

/// <summary>How ledger events, snapshots and stored results are written as JSON in PostgreSQL.</summary>
public static class LedgerJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static readonly (Type Type, string Kind)[] EventKinds =
    [
        (typeof(CardIssued), "issued"),
        (typeof(PointsEarned), "earned"),
        (typeof(PointsReleased), "released"),
        (typeof(PointsExpired), "expired"),
        (typeof(LateReceiptAnnulled), "annulled"),
        (typeof(PointsRedeemed), "redemption"),
        (typeof(RedemptionReversed), "reversal"),
        (typeof(PurchaseRefunded), "refund"),
        (typeof(PartnerTransactionRefunded), "partnerRefund"),
        (typeof(SpendingSwitched), "spending"),
        (typeof(ParticipationTerminated), "terminated"),
        (typeof(PointsAdjusted), "adjustment"),
        (typeof(HeldPointsReleasedEarly), "releasedEarly"),
        (typeof(ReplacementStarted), "replacing"),
        (typeof(TransferReceived), "transferred"),
        (typeof(ReplacementCompleted), "replaced"),
        (typeof(ReplacementAborted), "replacementAborted"),
    ];

    public static string KindOf(CardEvent e) => e switch
    {
        // Purchases and partner purchases are one event type but two kinds in the history.
        PointsEarned { Source: EarningSource.Partner } => "partner",
        PointsEarned => "purchase",
        // A partner's refund is a refund in the history like a station's.
        PartnerTransactionRefunded => "refund",
        _ => EventKinds.First(k => k.Type == e.GetType()).Kind,
    };

    public static string Serialize(CardEvent e) => JsonSerializer.Serialize(e, Options);

    public static CardEvent DeserializeEvent(string json) => JsonSerializer.Deserialize<CardEvent>(json, Options)!;

    private static JsonSerializerOptions Create()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(info =>
        {
            if (info.Type != typeof(CardEvent)) return;
            info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "$kind" };
            foreach (var (type, kind) in EventKinds) info.PolymorphismOptions.DerivedTypes.Add(
                new JsonDerivedType(type, kind));
        });
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = resolver,
            // jsonb stores an object's keys in its own order, so "$kind" comes back anywhere in it.
            AllowOutOfOrderMetadataProperties = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly();
        return options;
    }
}
