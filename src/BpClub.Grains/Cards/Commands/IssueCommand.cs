namespace BpClub.Grains.Cards.Commands;

/// <summary>
/// A pre-printed card issued at a till with the member's questionnaire: once per card. Without a phone, the hash of
/// the card's code is written with the questionnaire (<paramref name="CardCodeHash"/>); the code itself is the grain's
/// to show, once.
/// </summary>
public sealed record IssueCommand(string Card, IssueCard Issue, byte[]? CardCodeHash = null) : ICardCommand<CardSummary>
{
    public string? OperationKey => CardLedgerStore.IssueOperationKey;
    public object? Request => Issue;

    public ValidationErrors Validate(CommandValidator validator, DateTimeOffset now) =>
        validator.ValidateQuestionnaire(Issue.FirstName, Issue.LastName, Issue.StationId, Issue.Consent,
            Issue.BirthDate, now);

    public CardDecision<CardSummary> Decide(CardAccount account, DateTimeOffset now) =>
        CardDecision<CardSummary>.From(account.Issue(now), d => CardViews.Summary(Card, d.After, now)) switch
        {
            CardDecision<CardSummary>.Accepted accepted => accepted with
            {
                NewHolder = new CardHolderRecord(Issue.FirstName.Trim(), Issue.LastName.Trim(), Issue.Phone?.Value,
                    Issue.BirthDate, now, Issue.StationId, CardCodeHash),
            },
            var other => other,
        };
}
