namespace BpClub.Grains.Cards.Commands;

/// <summary>The end of participation: the points are forfeited and the holder's personal data erased.</summary>
public sealed record TerminationCommand(TerminateParticipation Termination) : ICardCommand<TerminationResult>
{
    public string? OperationKey => "terminate";
    public object? Request => Termination;

    public ValidationErrors Validate(CommandValidator validator, DateTimeOffset now) =>
        validator.ValidateTermination(Termination.Reference, Termination.ApplicationReceivedAt, now);

    public CardDecision<TerminationResult> Decide(CardAccount account, DateTimeOffset now) =>
        CardDecision<TerminationResult>.From(account.Terminate(now),
            d => new TerminationResult(d.Events.OfType<ParticipationTerminated>().Single().Forfeited)) switch
        {
            CardDecision<TerminationResult>.Accepted accepted => accepted with { ErasesHolder = true },
            var other => other,
        };
}
