namespace BpClub.Domain.Ledger;

public enum RejectionKind
{
    /// <summary>The card has not been issued (404).</summary>
    NotIssued,
    /// <summary>The card exists already (409).</summary>
    AlreadyIssued,
    /// <summary>A referenced receipt is unknown on this card (404).</summary>
    ReceiptNotFound,
    /// <summary>A receipt of the station already earned on another card (409).</summary>
    ReceiptElsewhere,
    /// <summary>A programme rule forbids it (422).</summary>
    RuleViolated,
    /// <summary>The card was replaced by another (or is being replaced): it is closed (422, "Card replaced").</summary>
    CardReplaced,
}

public sealed record Rejection(RejectionKind Kind, string Detail);
