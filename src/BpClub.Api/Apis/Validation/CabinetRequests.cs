using System.Diagnostics.CodeAnalysis;
using BpClub.Domain.Cards;

namespace BpClub.Api.Apis;

/// <summary>The members' request bodies (docs/api.md, "Cabinet"), each parsed once at the edge.</summary>
public static class CabinetRequests
{
    public static bool TryParse(this RegistrationRequest request,
        out (CardNumber Card, PhoneNumber Phone, string Password, string? CardCode) registration,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            var card = Edge.Card(request.CardNumber, errors);
            var phone = Edge.Phone(request.Phone, errors);
            if (string.IsNullOrEmpty(request.Password)) errors.Add("password", "Required.");
            if (request.CardCode is { Length: > 64 }) errors.Add("cardCode", "At most 64 characters.");
            return (card!, phone!, request.Password ?? "", request.CardCode);
        }, out registration, out problem);

    public static bool TryParse(this SignInRequest request, out (PhoneNumber Phone, string Password) signIn,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            var phone = Edge.Phone(request.Phone, errors);
            return (phone!, Edge.Password(request.Password, errors));
        }, out signIn, out problem);

    public static bool TryParse(this PasswordResetRequest request, out PhoneNumber phone,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors => Edge.Phone(request.Phone, errors)!, out phone, out problem);

    public static bool TryParse(this PasswordResetConfirmation request, out (string Code, string NewPassword) reset,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            if (string.IsNullOrWhiteSpace(request.Code)) errors.Add("code", "Required.");
            if (string.IsNullOrEmpty(request.NewPassword)) errors.Add("newPassword", "Required.");
            return ((request.Code ?? "").Trim(), request.NewPassword ?? "");
        }, out reset, out problem);

    public static bool TryParse(this PasswordChange request, out (string Current, string New) change,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            if (string.IsNullOrEmpty(request.CurrentPassword)) errors.Add("currentPassword", "Required.");
            if (string.IsNullOrEmpty(request.NewPassword)) errors.Add("newPassword", "Required.");
            return (request.CurrentPassword ?? "", request.NewPassword ?? "");
        }, out change, out problem);

    public static bool TryParse(this PhoneChangeRequest request, out (PhoneNumber Phone, string Password) change,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            var phone = Edge.Phone(request.Phone, errors);
            return (phone!, Edge.Password(request.Password, errors, "changing the phone"));
        }, out change, out problem);

    /// <summary>The member's own card, <paramref name="card"/>, replaced by the new one the body names.</summary>
    public static bool TryParse(this CardReplacementRequest request, string card,
        out (CardNumber NewCard, string? CardCode) replacement, [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            var next = Edge.Card(request.NewCardNumber, errors, "newCardNumber");
            if (next is not null && next.Value == card) errors.Add("newCardNumber", ReplaceCard.AnotherCard);
            if (request.CardCode is { Length: > 64 }) errors.Add("cardCode", "At most 64 characters.");
            return (next!, request.CardCode);
        }, out replacement, out problem);

    /// <summary>What the member edits of the questionnaire: only the fields sent, each as the till's rules.</summary>
    public static bool TryParse(this ProfileRequest request, DateTimeOffset now, out ProfileChange change,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            if (request.FirstName is not null)
                errors.RequireId("firstName", request.FirstName, CommandValidator.MaxNameLength);
            if (request.LastName is not null)
                errors.RequireId("lastName", request.LastName, CommandValidator.MaxNameLength);
            CommandValidator.CheckBirthDate(errors, request.BirthDate, now);
            return new ProfileChange(request.FirstName?.Trim(), request.LastName?.Trim(), request.BirthDate);
        }, out change, out problem);

    /// <summary>Off needs nothing more (a lost card); on needs the password again.</summary>
    public static bool TryParse(this SpendingRequest request, out (bool Enabled, string Password) spending,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            if (request.Enabled is not { } enabled)
            {
                errors.Add("enabled", "Required: true or false.");
                return (false, "");
            }
            return (enabled, enabled ? Edge.Password(request.Password, errors, "switching spending on") : "");
        }, out spending, out problem);

    public static bool TryParse(this CabinetTerminationRequest request, out string password,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors => Edge.Password(request.Password, errors, "leaving the programme"), out password,
            out problem);

    /// <summary>A code sent by SMS, as typed: required, at most <paramref name="maxLength"/> characters.</summary>
    public static bool TryParse(this CodeConfirmation request, int? maxLength, out string code,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            if (string.IsNullOrWhiteSpace(request.Code)) errors.Add("code", "Required.");
            else if (request.Code.Length > maxLength) errors.Add("code", $"At most {maxLength} characters.");
            return (request.Code ?? "").Trim();
        }, out code, out problem);
}
