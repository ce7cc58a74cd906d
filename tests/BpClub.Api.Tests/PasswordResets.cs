namespace BpClub.Api.Tests;

public static class PasswordResets
{
    /// <summary>A password reset through the API as a member does it: 202 with a code by SMS, then the code and the
    /// new password, 204.</summary>
    public static async Task Reset(this BpClubApp app, string phone, string newPassword)
    {
        var before = app.CodesSentTo(phone).Count;
        var started = await app.Client()
            .PostAsJsonAsync("/api/cabinet/v1/password-resets", new { phone })
            .Expect(HttpStatusCode.Accepted);
        await app.Client().PostAsJsonAsync(
            $"/api/cabinet/v1/password-resets/{started.GetProperty("resetId").GetString()}/confirm",
            new { code = await app.LatestCode(phone, before), newPassword })
                .Expect(HttpStatusCode.NoContent);
    }
}
