using BpClub.Domain.Cards;

namespace BpClub.Api.Apis;

/// <summary>The member moves the cabinet account to a new phone: the password, then the code sent to that
/// phone.</summary>
public static class CabinetPhoneApi
{
    public static IEndpointRouteBuilder MapCabinetPhoneApi(this IEndpointRouteBuilder app)
    {
        var member = app.MapMemberGroup();
        member.MapPut("/phone", StartPhoneChange).WithSummary(
            "Change the phone: with the password again (wrong ones count against sign-in's lock-out), a one-time code "
            + "goes to the new phone by SMS; nothing changes until it comes back.");
        member.MapPost("/phone-changes/{phoneChangeId:guid}/confirm", ConfirmPhoneChange).ProducesProblems(404, 409)
            .Audited(AuditKinds.MemberPhoneChanged)
            .WithSummary("Confirm the new phone with its SMS code: sign-in works with it only, and the old phone is "
                + "told by SMS.");
        return app;
    }

    private static async Task<Results<Accepted<PhoneChangeStarted>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> StartPhoneChange(
        PhoneChangeRequest request, ClaimsPrincipal member, HttpContext http, IClusterClient cluster)
    {
        if (!request.TryParse(out var change, out var problem)) return problem;
        var started = await cluster.GetGrain<IVerificationGrain>(Guid.NewGuid()).StartPhoneChange(
            CardNumber.Parse(member.CallerId()), member.SessionId(), change.Phone, change.Password,
            CabinetApi.Source(http));
        return OutcomeResults.Map(started,
            code => TypedResults.Accepted((string?)null, new PhoneChangeStarted(code.Id, code.CodeExpiresAt)));
    }

    private static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult, TooManyRequests>>
        ConfirmPhoneChange(Guid phoneChangeId, CodeConfirmation request, ClaimsPrincipal member,
            IClusterClient cluster)
    {
        if (!request.TryParse(64, out var code, out var problem)) return problem;
        var moved = await cluster.GetGrain<IVerificationGrain>(phoneChangeId).ConfirmPhoneChange(
            CardNumber.Parse(member.CallerId()), member.SessionId(), code);
        return await OutcomeResults.MapAsync(moved,
            async p => TypedResults.Ok(await CabinetSelfServiceApi.Me(p, cluster)));
    }
}

/// <summary>PUT /phone: the new phone and the password again.</summary>
public sealed record PhoneChangeRequest(string? Phone, string? Password);

public sealed record PhoneChangeStarted(Guid PhoneChangeId, DateTimeOffset CodeExpiresAt);
