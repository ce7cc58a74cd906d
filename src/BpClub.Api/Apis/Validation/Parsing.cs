using System.Diagnostics.CodeAnalysis;
using BpClub.Domain.Cards;

namespace BpClub.Api.Apis;

/// <summary>A request parsed at the edge for one card: the card's grain key and the command for it.</summary>
public readonly record struct ForCard<T>(CardNumber Card, T Command);

/// <summary>
/// The one shape of validation at the edge: each request body has a <c>TryParse</c> (PosRequests, AdminRequests…)
/// that turns its raw fields into domain values, naming each bad field by its API name, or gives the 400 problem
/// with every such field; the endpoint calls nothing then. Rules on the values themselves (limits, dates) are the
/// domain's (<see cref="CommandValidator"/>), checked by the card whoever sends the command.
/// </summary>
public static class Parsing
{
    public static bool TryParse<T>(Func<ValidationErrors, T> parse, out T parsed,
        [NotNullWhen(false)] out ValidationProblem? problem)
    {
        var errors = new ValidationErrors();
        parsed = parse(errors);
        problem = errors.IsEmpty ? null : Problems.Invalid(errors);
        return problem is null;
    }

    /// <summary>A card number from the path.</summary>
    public static bool TryParseCard(string? cardNumber, out CardNumber card,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        TryParse(errors => Edge.Card(cardNumber, errors)!, out card, out problem);
}
