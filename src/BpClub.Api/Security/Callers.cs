namespace BpClub.Api.Security;

/// <summary>The kinds of caller docs/api.md names, as authentication schemes, roles, policies and claims.</summary>
public static class Callers
{
    public const string ApiKeyScheme = "ApiKey";
    public const string MemberScheme = "Member";

    public const string Station = "station";
    public const string Partner = "partner";
    public const string Operator = "operator";
    public const string Member = "member";

    /// <summary>The station, partner or operator id, or the member's card number.</summary>
    public const string IdClaim = "bpclub:id";
    public const string PointsPerUahClaim = "bpclub:pointsPerUah";
    public const string SessionClaim = "sid";
    /// <summary>"cookie" when a member came with the web session cookie: unsafe requests then need the anti-forgery
    /// token.</summary>
    public const string ViaClaim = "bpclub:via";

    public const string ApiKeyHeader = "X-Api-Key";
    public const string SessionCookie = "bpclub_session";
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";
}
