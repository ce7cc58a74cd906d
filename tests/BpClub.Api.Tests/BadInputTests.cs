namespace BpClub.Api.Tests;

/// <summary>One card with points, history and a cabinet account, that every bad request aims at.</summary>
public sealed class TargetCardFixture(AppFixture app) : IAsyncLifetime
{
    public BpClubApp App => app.App;
    public string StationKey { get; private set; } = "";
    public string PartnerKey { get; private set; } = "";
    public Member Member { get; private set; } = null!;
    /// <summary>The target partner's transaction on the target card, for bad partner refunds.</summary>
    public const string PartnerTx = "t-partner";

    public async Task InitializeAsync()
    {
        StationKey = await App.NewStationKey();
        PartnerKey = await App.NewPartnerKey();
        Member = await App.NewMember(StationKey, "Iryna", "Target");
        var station = App.Client(StationKey);
        await station.Purchase(Http.FuelPurchase("t-1", Member.Card, litres: 40m, amount: 2400m));
        await station.Purchase(Http.FuelPurchase("t-2", Member.Card, litres: 25m, amount: 1500m));
        await App.Client(PartnerKey).PostAsJsonAsync("/api/partners/v1/accruals",
            new { partnerTransactionId = PartnerTx, cardNumber = Member.Card, amount = 400m })
            .Expect(HttpStatusCode.Created);
        await Member.Client()
            .PutAsJsonAsync("/api/cabinet/v1/spending", new { enabled = true, password = Member.Password })
                .Expect(HttpStatusCode.OK);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>Bad input gets a 400 problem (with the fields at fault) and changes nothing.</summary>
[Collection(ServiceCollection.Name)]
public sealed class BadInputTests(TargetCardFixture target) : IClassFixture<TargetCardFixture>
{
    private enum By { Station, Partner, Operator, Member, Anyone }

    /// <summary>A bad request: who sends it, where, the body ({CARD} is the target card) and whether the
    /// problem must name fields (`errors`): it must whenever the JSON itself could be read.</summary>
    private sealed record Bad(By By, string Method, string Path, string? Body, bool Errors = true);

    private const string Purchases = "/api/pos/v1/purchases";
    private const string Quotes = "/api/pos/v1/purchases/quote";
    private const string Adjustments = "/api/admin/v1/cards/{CARD}/adjustments";
    private const string HoldRelease = "/api/admin/v1/cards/{CARD}/holds/release";
    private const string PhoneConfirm = "/api/cabinet/v1/phone-changes/7d1c9a52-5b1e-4f3a-9c2e-2a6f0e8b4d11/confirm";
    private const string PartnerRefunds = "/api/partners/v1/refunds";
    private const string Fuel = """{"type":"fuel","productCode":"A95","litres":10,"amount":600}""";

    private static string Purchase(string lines = $"[{Fuel}]", string receipt = "\"bad-1\"", string card = "\"{CARD}\"",
        string payment = "\"cash\"", string extra = "") =>
        $$"""{"receiptId":{{receipt}},"cardNumber":{{card}},"paymentMethod":{{payment}},"lines":{{lines}}{{extra}}}""";

    private static string Line(string litres = "10", string amount = "600", string type = "\"fuel\"",
        string more = "\"productCode\":\"A95\"") =>
        $$"""[{"type":{{type}},{{more}},"litres":{{litres}},"amount":{{amount}}}]""";

    private static readonly Dictionary<string, Bad> Cases = new()
    {
        // Malformed bodies.
        ["purchase: malformed JSON"] =
            new(By.Station, "POST", Purchases, """{"receiptId":"bad-1","cardNumber":""", Errors: false),
        ["purchase: not JSON at all"] = new(By.Station, "POST", Purchases, "receiptId=bad-1&litres=10", Errors: false),
        ["purchase: an array instead of an object"] = new(By.Station, "POST", Purchases, "[]", Errors: false),
        ["purchase: empty body"] = new(By.Station, "POST", Purchases, "", Errors: false),
        ["purchase: trailing garbage"] = new(By.Station, "POST", Purchases, Purchase() + "}", Errors: false),
        // Wrong types.
        ["purchase: litres as words"] =
            new(By.Station, "POST", Purchases, Purchase(Line(litres: "\"forty\"")), Errors: false),
        ["purchase: amount as an object"] =
            new(By.Station, "POST", Purchases, Purchase(Line(amount: "{}")), Errors: false),
        ["purchase: lines as an object"] = new(By.Station, "POST", Purchases, Purchase(Fuel), Errors: false),
        ["purchase: receiptId as a number"] =
            new(By.Station, "POST", Purchases, Purchase(receipt: "123"), Errors: false),
        ["purchase: amount beyond any decimal"] =
            new(By.Station, "POST", Purchases, Purchase(Line(amount: "1e40")), Errors: false),
        // Missing fields.
        ["purchase: no receiptId"] = new(By.Station, "POST", Purchases, Purchase(receipt: "null")),
        ["purchase: no cardNumber"] = new(By.Station, "POST", Purchases, Purchase(card: "null")),
        ["purchase: no paymentMethod"] = new(By.Station, "POST", Purchases, Purchase(payment: "null")),
        ["purchase: no lines"] = new(By.Station, "POST", Purchases, Purchase(lines: "null")),
        ["purchase: empty lines"] = new(By.Station, "POST", Purchases, Purchase(lines: "[]")),
        ["purchase: a null line"] = new(By.Station, "POST", Purchases, Purchase(lines: "[null]")),
        ["purchase: fuel without litres"] = new(By.Station, "POST", Purchases, Purchase(Line(litres: "null"))),
        ["purchase: fuel without product code"] =
            new(By.Station, "POST", Purchases, Purchase(Line(more: "\"category\":\"x\""))),
        ["purchase: shop without category"] =
            new(By.Station, "POST", Purchases, Purchase("""[{"type":"shop","amount":100}]""")),
        // Values out of range.
        ["purchase: negative litres"] = new(By.Station, "POST", Purchases, Purchase(Line(litres: "-10"))),
        ["purchase: zero litres"] = new(By.Station, "POST", Purchases, Purchase(Line(litres: "0"))),
        ["purchase: huge litres"] = new(By.Station, "POST", Purchases, Purchase(Line(litres: "1000000"))),
        ["purchase: litres with four decimals"] = new(By.Station, "POST", Purchases, Purchase(Line(litres: "10.0001"))),
        ["purchase: negative amount"] = new(By.Station, "POST", Purchases, Purchase(Line(amount: "-600"))),
        ["purchase: zero amount"] = new(By.Station, "POST", Purchases, Purchase(Line(amount: "0"))),
        ["purchase: huge amount"] = new(By.Station, "POST", Purchases, Purchase(Line(amount: "1000000000000"))),
        ["purchase: amount with three decimals"] =
            new(By.Station, "POST", Purchases, Purchase(Line(amount: "600.005"))),
        ["purchase: shop line with litres"] =
            new(By.Station, "POST", Purchases, Purchase(Line(type: "\"shop\"", more: "\"category\":\"coffee\""))),
        ["purchase: unknown line type"] = new(By.Station, "POST", Purchases, Purchase(Line(type: "\"lottery\""))),
        ["purchase: unknown payment method"] = new(By.Station, "POST", Purchases, Purchase(payment: "\"bitcoin\"")),
        ["purchase: too many lines"] =
            new(By.Station, "POST", Purchases, Purchase("[" + string.Join(",", Enumerable.Repeat(Fuel, 51)) + "]")),
        ["purchase: card failing Luhn"] = new(By.Station, "POST", Purchases, Purchase(card: "\"4000001234567890\"")),
        ["purchase: card with letters"] = new(By.Station, "POST", Purchases, Purchase(card: "\"4000-ABCD-1234-5678\"")),
        ["purchase: card too short"] = new(By.Station, "POST", Purchases, Purchase(card: "\"4000001234\"")),
        ["purchase: over-long receiptId"] =
            new(By.Station, "POST", Purchases, Purchase(receipt: "\"" + new string('r', 65) + "\"")),
        ["purchase: receiptId with control characters"] =
            new(By.Station, "POST", Purchases, Purchase(receipt: "\"bad\\u0000id\"")),
        ["purchase: dated far in the future"] =
            new(By.Station, "POST", Purchases, Purchase(extra: ",\"occurredAt\":\"2100-01-01T00:00:00+02:00\"")),
        ["purchase: dated years ago"] =
            new(By.Station, "POST", Purchases, Purchase(extra: ",\"occurredAt\":\"2020-01-01T00:00:00Z\"")),
        ["purchase: date that is not a date"] =
            new(By.Station, "POST", Purchases, Purchase(extra: ",\"occurredAt\":\"yesterday\""), Errors: false),
        // Quotes take a purchase's body and its checks.
        ["quote: malformed JSON"] = new(By.Station, "POST", Quotes, """{"receiptId":"bad-q","cardNumber":""",
            Errors: false),
        ["quote: negative litres"] = new(By.Station, "POST", Quotes, Purchase(Line(litres: "-10"))),
        ["quote: empty lines"] = new(By.Station, "POST", Quotes, Purchase(lines: "[]")),
        ["quote: card failing Luhn"] = new(By.Station, "POST", Quotes, Purchase(card: "\"4000001234567890\"")),
        ["quote: unknown payment method"] = new(By.Station, "POST", Quotes, Purchase(payment: "\"bitcoin\"")),
        ["quote: dated far in the future"] = new(By.Station, "POST", Quotes,
            Purchase(extra: ",\"occurredAt\":\"2100-01-01T00:00:00+02:00\"")),
        // Redemptions and refunds.
        ["redemption: negative points"] =
            new(By.Station, "POST", "/api/pos/v1/redemptions",
                """{"redemptionId":"bad-r","cardNumber":"{CARD}","points":-5}"""),
        ["redemption: zero points"] =
            new(By.Station, "POST", "/api/pos/v1/redemptions",
                """{"redemptionId":"bad-r","cardNumber":"{CARD}","points":0}"""),
        ["redemption: fractional points"] =
            new(By.Station, "POST", "/api/pos/v1/redemptions",
                """{"redemptionId":"bad-r","cardNumber":"{CARD}","points":1.5}""", Errors: false),
        ["redemption: huge points"] =
            new(By.Station, "POST", "/api/pos/v1/redemptions",
                """{"redemptionId":"bad-r","cardNumber":"{CARD}","points":1000000000000000}"""),
        ["redemption: no points"] =
            new(By.Station, "POST", "/api/pos/v1/redemptions", """{"redemptionId":"bad-r","cardNumber":"{CARD}"}"""),
        ["redemption: no redemptionId"] =
            new(By.Station, "POST", "/api/pos/v1/redemptions", """{"cardNumber":"{CARD}","points":5}"""),
        ["reversal: no reversalId"] =
            new(By.Station, "POST", "/api/pos/v1/redemption-reversals",
                """{"redemptionId":"r-x","cardNumber":"{CARD}"}"""),
        ["reversal: no redemptionId"] =
            new(By.Station, "POST", "/api/pos/v1/redemption-reversals",
                """{"reversalId":"bad-v","cardNumber":"{CARD}"}"""),
        ["reversal: card failing Luhn"] =
            new(By.Station, "POST", "/api/pos/v1/redemption-reversals",
                """{"reversalId":"bad-v","redemptionId":"r-x","cardNumber":"4000001234567890"}"""),
        ["reversal: over-long reversalId"] =
            new(By.Station, "POST", "/api/pos/v1/redemption-reversals",
                $$"""{"reversalId":"{{new string('v', 65)}}","redemptionId":"r-x","cardNumber":"{CARD}"}"""),
        ["refund: line number zero"] =
            new(By.Station, "POST", "/api/pos/v1/refunds",
                """{"refundId":"bad-f","receiptId":"t-2","cardNumber":"{CARD}","lines":[0]}"""),
        ["refund: a line twice"] =
            new(By.Station, "POST", "/api/pos/v1/refunds",
                """{"refundId":"bad-f","receiptId":"t-2","cardNumber":"{CARD}","lines":[1,1]}"""),
        ["refund: no receiptId"] =
            new(By.Station, "POST", "/api/pos/v1/refunds", """{"refundId":"bad-f","cardNumber":"{CARD}"}"""),
        ["refund: no refundId"] =
            new(By.Station, "POST", "/api/pos/v1/refunds", """{"receiptId":"t-2","cardNumber":"{CARD}"}"""),
        // Issuing a card (at a fresh number: the target card stays as it is).
        ["issue: no first name"] =
            new(By.Station, "PUT", "/api/pos/v1/cards/{NEW}", """{"lastName":"K","consent":true}"""),
        ["issue: over-long last name"] =
            new(By.Station, "PUT", "/api/pos/v1/cards/{NEW}",
                $$"""{"firstName":"O","lastName":"{{new string('k', 101)}}","consent":true}"""),
        ["issue: no consent"] =
            new(By.Station, "PUT", "/api/pos/v1/cards/{NEW}", """{"firstName":"O","lastName":"K","consent":false}"""),
        ["issue: bad phone"] =
            new(By.Station, "PUT", "/api/pos/v1/cards/{NEW}",
                """{"firstName":"O","lastName":"K","phone":"12345","consent":true}"""),
        ["issue: birth date in the future"] =
            new(By.Station, "PUT", "/api/pos/v1/cards/{NEW}",
                """{"firstName":"O","lastName":"K","birthDate":"2100-01-01","consent":true}"""),
        ["issue: card number failing Luhn"] =
            new(By.Station, "PUT", "/api/pos/v1/cards/4000001234567890",
                """{"firstName":"O","lastName":"K","consent":true}"""),
        ["balance: card number failing Luhn"] =
            new(By.Station, "GET", "/api/pos/v1/cards/4000001234567890/balance", null),
        // Partners.
        ["accrual: negative amount"] =
            new(By.Partner, "POST", "/api/partners/v1/accruals",
                """{"partnerTransactionId":"bad-p","cardNumber":"{CARD}","amount":-100}"""),
        ["accrual: no amount"] =
            new(By.Partner, "POST", "/api/partners/v1/accruals",
                """{"partnerTransactionId":"bad-p","cardNumber":"{CARD}"}"""),
        ["accrual: over-long transaction id"] =
            new(By.Partner, "POST", "/api/partners/v1/accruals",
                $$"""{"partnerTransactionId":"{{new string('p', 65)}}","cardNumber":"{CARD}","amount":100}"""),
        ["accrual: dated in the future"] =
            new(By.Partner, "POST", "/api/partners/v1/accruals",
                """
                {"partnerTransactionId":"bad-p","cardNumber":"{CARD}","amount":100,"occurredAt":"2999-12-31T00:00:00Z"}
                """),
        // Partner refunds (the target card has a transaction of the target partner, {PARTNERTX}).
        ["partner refund: no partnerRefundId"] =
            new(By.Partner, "POST", PartnerRefunds, """{"partnerTransactionId":"{PARTNERTX}"}"""),
        ["partner refund: no partnerTransactionId"] =
            new(By.Partner, "POST", PartnerRefunds, """{"partnerRefundId":"bad-pr"}"""),
        ["partner refund: blank partnerRefundId"] =
            new(By.Partner, "POST", PartnerRefunds, """{"partnerRefundId":" ","partnerTransactionId":"{PARTNERTX}"}"""),
        ["partner refund: over-long partnerRefundId"] = new(By.Partner, "POST", PartnerRefunds,
            $$"""{"partnerRefundId":"{{new string('r', 65)}}","partnerTransactionId":"{PARTNERTX}"}"""),
        ["partner refund: over-long partnerTransactionId"] = new(By.Partner, "POST", PartnerRefunds,
            $$"""{"partnerRefundId":"bad-pr","partnerTransactionId":"{{new string('t', 65)}}"}"""),
        ["partner refund: zero amount"] = new(By.Partner, "POST", PartnerRefunds,
            """{"partnerRefundId":"bad-pr","partnerTransactionId":"{PARTNERTX}","amount":0}"""),
        ["partner refund: negative amount"] = new(By.Partner, "POST", PartnerRefunds,
            """{"partnerRefundId":"bad-pr","partnerTransactionId":"{PARTNERTX}","amount":-10}"""),
        ["partner refund: three decimals"] = new(By.Partner, "POST", PartnerRefunds,
            """{"partnerRefundId":"bad-pr","partnerTransactionId":"{PARTNERTX}","amount":1.005}"""),
        ["partner refund: amount as words"] = new(By.Partner, "POST", PartnerRefunds,
            """{"partnerRefundId":"bad-pr","partnerTransactionId":"{PARTNERTX}","amount":"ten"}""", Errors: false),
        ["partner refund: malformed JSON"] =
            new(By.Partner, "POST", PartnerRefunds, """{"partnerRefundId":"bad-pr",""", Errors: false),
        // The cabinet.
        ["registration: bad phone"] =
            new(By.Anyone, "POST", "/api/cabinet/v1/registrations",
                """{"cardNumber":"{CARD}","phone":"+380 00 000","password":"Sunflower-2026"}"""),
        ["registration: card failing Luhn"] =
            new(By.Anyone, "POST", "/api/cabinet/v1/registrations",
                """{"cardNumber":"4000001234567890","phone":"+380671234567","password":"Sunflower-2026"}"""),
        ["registration: password too short"] =
            new(By.Anyone, "POST", "/api/cabinet/v1/registrations",
                """{"cardNumber":"{NEWISSUED}","phone":"{PHONE}","password":"short"}"""),
        ["registration: password all digits"] =
            new(By.Anyone, "POST", "/api/cabinet/v1/registrations",
                """{"cardNumber":"{NEWISSUED}","phone":"{PHONE}","password":"1234567890"}"""),
        ["sign-in: phone with letters"] =
            new(By.Anyone, "POST", "/api/cabinet/v1/sessions", """{"phone":"call me","password":"Sunflower-2026"}"""),
        ["sign-in: over-long password"] =
            new(By.Anyone, "POST", "/api/cabinet/v1/sessions",
                $$"""{"phone":"{PHONE}","password":"{{new string('x', 300)}}"}"""),
        ["registration: a landline, no SMS"] =
            new(By.Anyone, "POST", "/api/cabinet/v1/registrations",
                """{"cardNumber":"{NEWISSUED}","phone":"+380441234567","password":"Sunflower-2026"}"""),
        ["registration: a phone of another country"] =
            new(By.Anyone, "POST", "/api/cabinet/v1/registrations",
                """{"cardNumber":"{NEWISSUED}","phone":"+48601234567","password":"Sunflower-2026"}"""),
        ["password reset: a phone of another country"] =
            new(By.Anyone, "POST", "/api/cabinet/v1/password-resets", """{"phone":"+447700900123"}"""),
        ["password reset: no phone"] = new(By.Anyone, "POST", "/api/cabinet/v1/password-resets", "{}"),
        ["registration: over-long card code"] =
            new(By.Anyone, "POST", "/api/cabinet/v1/registrations",
                $$"""{"cardNumber":"{NEWISSUED}","phone":"{PHONE}","password":"Sunflower-"""
                + $$"""2026","cardCode":"{{new string('A', 65)}}"}"""),
        ["registration: card code not a string"] =
            new(By.Anyone, "POST", "/api/cabinet/v1/registrations",
                """{"cardNumber":"{NEWISSUED}","phone":"{PHONE}","password":"Sunflower-2026","cardCode":12345678}""",
                    Errors: false),
        ["spending: switched on without the password"] =
            new(By.Member, "PUT", "/api/cabinet/v1/spending", """{"enabled":true}"""),
        ["spending: over-long password"] =
            new(By.Member, "PUT", "/api/cabinet/v1/spending",
                $$"""{"enabled":true,"password":"{{new string('x', 300)}}"}"""),
        ["spending: password not a string"] =
            new(By.Member, "PUT", "/api/cabinet/v1/spending", """{"enabled":true,"password":42}""", Errors: false),
        ["spending: enabled as a string"] =
            new(By.Member, "PUT", "/api/cabinet/v1/spending", """{"enabled":"yes"}""", Errors: false),
        ["password change: new password is the phone"] =
            new(By.Member, "PUT", "/api/cabinet/v1/password",
                """{"currentPassword":"Sunflower-2026","newPassword":"{MEMBERPHONE}"}"""),
        ["history: limit that is not a number"] = new(By.Member, "GET", "/api/cabinet/v1/history?limit=many", null),
        ["history: negative limit"] = new(By.Member, "GET", "/api/cabinet/v1/history?limit=-1", null),
        ["history: forged cursor"] = new(By.Member, "GET", "/api/cabinet/v1/history?cursor=not-a-cursor", null),
        ["history: unknown kind"] = new(By.Member, "GET", "/api/cabinet/v1/history?kind=purchase,lottery", null),
        ["history: over-long kind"] =
            new(By.Member, "GET", "/api/cabinet/v1/history?kind=" + string.Join(",", Enumerable.Repeat("purchase", 40)),
                null),
        ["history: from that is not a day"] = new(By.Member, "GET", "/api/cabinet/v1/history?from=2026-13-01", null),
        ["history: to as an instant"] = new(By.Member, "GET", "/api/cabinet/v1/history?to=2026-12-01T00:00:00Z", null),
        ["history: to before from"] =
            new(By.Member, "GET", "/api/cabinet/v1/history?from=2026-12-05&to=2026-12-01", null),
        ["history csv: from that is not a day"] =
            new(By.Member, "GET", "/api/cabinet/v1/history.csv?from=yesterday", null),
        ["history csv: to before from"] =
            new(By.Member, "GET", "/api/cabinet/v1/history.csv?from=2026-12-05&to=2026-12-01", null),
        ["history csv: more than 366 days"] =
            new(By.Member, "GET", "/api/cabinet/v1/history.csv?from=2025-01-01&to=2026-12-01", null),
        ["history csv: unknown kind"] = new(By.Member, "GET", "/api/cabinet/v1/history.csv?kind=jackpot", null),
        // Self-service: leaving the programme and editing the profile.
        ["termination: no password"] = new(By.Member, "POST", "/api/cabinet/v1/termination", "{}"),
        ["termination: empty password"] =
            new(By.Member, "POST", "/api/cabinet/v1/termination", """{"password":""}"""),
        ["termination: over-long password"] = new(By.Member, "POST", "/api/cabinet/v1/termination",
            $$"""{"password":"{{new string('x', 300)}}"}"""),
        ["termination: password not a string"] =
            new(By.Member, "POST", "/api/cabinet/v1/termination", """{"password":42}""", Errors: false),
        ["termination: wrong password"] =
            new(By.Member, "POST", "/api/cabinet/v1/termination", """{"password":"Not-my-password-1"}"""),
        ["profile: blank first name"] = new(By.Member, "PATCH", "/api/cabinet/v1/me", """{"firstName":"  "}"""),
        ["profile: over-long last name"] = new(By.Member, "PATCH", "/api/cabinet/v1/me",
            $$"""{"lastName":"{{new string('n', 101)}}"}"""),
        ["profile: name with control characters"] =
            new(By.Member, "PATCH", "/api/cabinet/v1/me", """{"firstName":"Ir\u0007yna"}"""),
        ["profile: birth date in the future"] =
            new(By.Member, "PATCH", "/api/cabinet/v1/me", """{"birthDate":"2999-01-01"}"""),
        ["profile: birth date too long ago"] =
            new(By.Member, "PATCH", "/api/cabinet/v1/me", """{"birthDate":"1850-01-01"}"""),
        ["profile: birth date not a date"] =
            new(By.Member, "PATCH", "/api/cabinet/v1/me", """{"birthDate":"14.07.1985"}""", Errors: false),
        ["profile: a good name beside a bad birth date"] = new(By.Member, "PATCH", "/api/cabinet/v1/me",
            """{"firstName":"Changed","birthDate":"2999-01-01"}"""),
        // Self-service: changing the phone.
        ["phone change: no phone"] =
            new(By.Member, "PUT", "/api/cabinet/v1/phone", """{"password":"Sunflower-2026"}"""),
        ["phone change: phone with letters"] = new(By.Member, "PUT", "/api/cabinet/v1/phone",
            """{"phone":"call me","password":"Sunflower-2026"}"""),
        ["phone change: a landline, no SMS"] = new(By.Member, "PUT", "/api/cabinet/v1/phone",
            """{"phone":"+380441234567","password":"Sunflower-2026"}"""),
        ["phone change: a phone of another country"] = new(By.Member, "PUT", "/api/cabinet/v1/phone",
            """{"phone":"+48601234567","password":"Sunflower-2026"}"""),
        ["phone change: phone not a string"] = new(By.Member, "PUT", "/api/cabinet/v1/phone",
            """{"phone":380671234567,"password":"Sunflower-2026"}""", Errors: false),
        ["phone change: no password"] = new(By.Member, "PUT", "/api/cabinet/v1/phone", """{"phone":"{PHONE}"}"""),
        ["phone change: over-long password"] = new(By.Member, "PUT", "/api/cabinet/v1/phone",
            $$"""{"phone":"{PHONE}","password":"{{new string('x', 300)}}"}"""),
        ["phone change: password not a string"] = new(By.Member, "PUT", "/api/cabinet/v1/phone",
            """{"phone":"{PHONE}","password":42}""", Errors: false),
        ["phone change: wrong password"] = new(By.Member, "PUT", "/api/cabinet/v1/phone",
            """{"phone":"{PHONE}","password":"Not-my-password-1"}"""),
        ["phone change: the member's own phone"] = new(By.Member, "PUT", "/api/cabinet/v1/phone",
            """{"phone":"{MEMBERPHONE}","password":"Sunflower-2026"}"""),
        ["phone change confirmation: no code"] = new(By.Member, "POST", PhoneConfirm, "{}"),
        ["phone change confirmation: over-long code"] =
            new(By.Member, "POST", PhoneConfirm, $$"""{"code":"{{new string('1', 65)}}"}"""),
        ["phone change confirmation: code not a string"] =
            new(By.Member, "POST", PhoneConfirm, """{"code":123456}""", Errors: false),
        // Operators.
        ["promotion: ends before it starts"] =
            new(By.Operator, "PUT", "/api/admin/v1/promotions/bad-promo",
                """{"name":"x","startsAt":"2026-12-10T00:00:00Z","endsAt":"2026-12-01T00:00:00Z","multiplier":2}"""),
        ["promotion: negative multiplier"] =
            new(By.Operator, "PUT", "/api/admin/v1/promotions/bad-promo",
                """{"name":"x","startsAt":"2026-12-01T00:00:00Z","endsAt":"2026-12-10T00:00:00Z","multiplier":-2}"""),
        ["promotion: no start"] =
            new(By.Operator, "PUT", "/api/admin/v1/promotions/bad-promo",
                """{"name":"x","endsAt":"2026-12-10T00:00:00Z","multiplier":2}"""),
        ["promotion: a level the programme does not have"] =
            new(By.Operator, "PUT", "/api/admin/v1/promotions/bad-promo",
                """{"name":"x","startsAt":"2026-12-01T00:00:00Z","endsAt":"2026-12-10T00:00:00Z","multiplier":2,"""
                + "\"levels\":[2,9]}"),
        ["promotion: levels not a list of numbers"] =
            new(By.Operator, "PUT", "/api/admin/v1/promotions/bad-promo",
                """{"name":"x","startsAt":"2026-12-01T00:00:00Z","endsAt":"2026-12-10T00:00:00Z","multiplier":2,"""
                + "\"levels\":[\"Gold\"]}"),
        ["station: over-long id"] =
            new(By.Operator, "PUT", "/api/admin/v1/stations/" + new string('s', 40), """{"name":"x","address":"y"}"""),
        ["partner: negative rate"] =
            new(By.Operator, "PUT", "/api/admin/v1/partners/bad-partner", """{"name":"x","pointsPerUah":-1}"""),
        ["termination: application from the future"] =
            new(By.Operator, "POST", "/api/admin/v1/cards/{CARD}/termination",
                """{"applicationReceivedAt":"2100-01-01T00:00:00Z","reference":"APP-1"}"""),
        ["termination: no reference"] =
            new(By.Operator, "POST", "/api/admin/v1/cards/{CARD}/termination",
                """{"applicationReceivedAt":"2026-11-30T00:00:00Z"}"""),
        ["card summary: card number too short"] = new(By.Operator, "GET", "/api/admin/v1/cards/123", null),
        ["card lookup: no operations"] = new(By.Operator, "GET", "/api/admin/v1/cards/{CARD}?operations=0", null),
        ["card lookup: too many operations"] =
            new(By.Operator, "GET", "/api/admin/v1/cards/{CARD}?operations=101", null),
        ["card lookup: operations not a number"] =
            new(By.Operator, "GET", "/api/admin/v1/cards/{CARD}?operations=all", null),
        ["adjustment: no adjustmentId"] =
            new(By.Operator, "POST", Adjustments, """{"points":10,"reason":"Goodwill"}"""),
        ["adjustment: over-long adjustmentId"] = new(By.Operator, "POST", Adjustments,
            $$"""{"adjustmentId":"{{new string('a', 65)}}","points":10,"reason":"Goodwill"}"""),
        ["adjustment: zero points"] =
            new(By.Operator, "POST", Adjustments, """{"adjustmentId":"bad-a","points":0,"reason":"Goodwill"}"""),
        ["adjustment: no points"] =
            new(By.Operator, "POST", Adjustments, """{"adjustmentId":"bad-a","reason":"Goodwill"}"""),
        ["adjustment: fractional points"] = new(By.Operator, "POST", Adjustments,
            """{"adjustmentId":"bad-a","points":2.5,"reason":"Goodwill"}""", Errors: false),
        ["adjustment: points as words"] = new(By.Operator, "POST", Adjustments,
            """{"adjustmentId":"bad-a","points":"ten","reason":"Goodwill"}""", Errors: false),
        ["adjustment: huge points"] = new(By.Operator, "POST", Adjustments,
            """{"adjustmentId":"bad-a","points":10000000000,"reason":"Goodwill"}"""),
        ["adjustment: huge negative points"] = new(By.Operator, "POST", Adjustments,
            """{"adjustmentId":"bad-a","points":-10000000000,"reason":"Goodwill"}"""),
        ["adjustment: no reason"] = new(By.Operator, "POST", Adjustments, """{"adjustmentId":"bad-a","points":10}"""),
        ["adjustment: blank reason"] =
            new(By.Operator, "POST", Adjustments, """{"adjustmentId":"bad-a","points":10,"reason":"  "}"""),
        ["adjustment: over-long reason"] = new(By.Operator, "POST", Adjustments,
            $$"""{"adjustmentId":"bad-a","points":10,"reason":"{{new string('r', 201)}}"}"""),
        ["adjustment: reason with control characters"] = new(By.Operator, "POST", Adjustments,
            """{"adjustmentId":"bad-a","points":10,"reason":"Good\u0007will"}"""),
        ["adjustment: card failing Luhn"] = new(By.Operator, "POST", "/api/admin/v1/cards/4000001234567890/adjustments",
            """{"adjustmentId":"bad-a","points":10,"reason":"Goodwill"}"""),
        ["hold release: no releaseId"] = new(By.Operator, "POST", HoldRelease, """{"points":10}"""),
        ["hold release: zero points"] = new(By.Operator, "POST", HoldRelease, """{"releaseId":"bad-h","points":0}"""),
        ["hold release: negative points"] =
            new(By.Operator, "POST", HoldRelease, """{"releaseId":"bad-h","points":-10}"""),
        ["hold release: fractional points"] =
            new(By.Operator, "POST", HoldRelease, """{"releaseId":"bad-h","points":1.5}""",
            Errors: false),
        ["hold release: huge points"] =
            new(By.Operator, "POST", HoldRelease, """{"releaseId":"bad-h","points":10000000000}"""),
        ["hold release: releaseId with control characters"] = new(By.Operator, "POST", HoldRelease,
            """{"releaseId":"bad\u0000h"}"""),
        ["hold release: card too short"] =
            new(By.Operator, "POST", "/api/admin/v1/cards/4000/holds/release", """{"releaseId":"bad-h"}"""),
        // The audit log's query.
        ["audit: unknown kind"] = new(By.Operator, "GET", "/api/admin/v1/audit?kind=card.stolen", null),
        ["audit: over-long kind"] = new(By.Operator, "GET", "/api/admin/v1/audit?kind=" + new string('k', 501), null),
        ["audit: from not an instant"] = new(By.Operator, "GET", "/api/admin/v1/audit?from=yesterday", null),
        ["audit: from without an offset"] =
            new(By.Operator, "GET", "/api/admin/v1/audit?from=2026-12-07T10:00:00", null),
        ["audit: to not after from"] = new(By.Operator, "GET",
            "/api/admin/v1/audit?from=2026-12-07T10:00:00Z&to=2026-12-07T09:00:00Z", null),
        ["audit: before not a number"] = new(By.Operator, "GET", "/api/admin/v1/audit?before=abc", null),
        ["audit: before zero"] = new(By.Operator, "GET", "/api/admin/v1/audit?before=0", null),
        ["audit: limit zero"] = new(By.Operator, "GET", "/api/admin/v1/audit?limit=0", null),
        ["audit: limit over 100"] = new(By.Operator, "GET", "/api/admin/v1/audit?limit=101", null),
        ["audit: over-long subject"] =
            new(By.Operator, "GET", "/api/admin/v1/audit?subject=" + new string('s', 65), null),
        // Card replacement.
        ["card replacement: no newCardNumber"] =
            new(By.Member, "POST", "/api/cabinet/v1/card-replacements", """{"cardCode":"ABCD-EFGH-JKMN"}"""),
        ["card replacement: newCardNumber failing Luhn"] = new(By.Member, "POST", "/api/cabinet/v1/card-replacements",
            """{"newCardNumber":"4000001234567890","cardCode":"ABCD-EFGH-JKMN"}"""),
        ["card replacement: the same card"] = new(By.Member, "POST", "/api/cabinet/v1/card-replacements",
            """{"newCardNumber":"{CARD}","cardCode":"ABCD-EFGH-JKMN"}"""),
        ["card replacement: over-long cardCode"] = new(By.Member, "POST", "/api/cabinet/v1/card-replacements",
            $$"""{"newCardNumber":"{NEWISSUED}","cardCode":"{{new string('A', 65)}}"}"""),
        ["card replacement: newCardNumber as a number"] = new(By.Member, "POST",
            "/api/cabinet/v1/card-replacements", """{"newCardNumber":4000001234567899}""", Errors: false),
        ["card replacement confirmation: no code"] = new(By.Member, "POST",
            "/api/cabinet/v1/card-replacements/6f1c1f4e-3a53-4a43-9d39-2a1d7c0a0b11/confirm", "{}"),
        ["card replacement confirmation: over-long code"] = new(By.Member, "POST",
            "/api/cabinet/v1/card-replacements/6f1c1f4e-3a53-4a43-9d39-2a1d7c0a0b11/confirm",
            $$"""{"code":"{{new string('1', 17)}}"}"""),
        ["operator replacement: no newCardNumber"] =
            new(By.Operator, "POST", "/api/admin/v1/cards/{CARD}/replacement", "{}"),
        ["operator replacement: the same card"] = new(By.Operator, "POST", "/api/admin/v1/cards/{CARD}/replacement",
            """{"newCardNumber":"{CARD}"}"""),
        ["operator replacement: old card too short"] = new(By.Operator, "POST", "/api/admin/v1/cards/4000/replacement",
            """{"newCardNumber":"{NEWISSUED}"}"""),
        ["operator replacement: newCardNumber with letters"] = new(By.Operator, "POST",
            "/api/admin/v1/cards/{CARD}/replacement", """{"newCardNumber":"4000-0012-3456-789X"}"""),
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Fact]
    public void There_are_at_least_forty_bad_inputs() => Assert.True(Cases.Count >= 40);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Bad_input_is_a_400_problem_and_changes_nothing(string name)
    {
        var bad = Cases[name];
        var app = target.App;
        var before = await Snapshot();
        var body = bad.Body;
        if (body is not null)
        {
            body = body.Replace("{CARD}", target.Member.Card)
                .Replace("{PARTNERTX}", TargetCardFixture.PartnerTx).Replace("{PHONE}", BpClubApp.NewPhone())
                .Replace("{MEMBERPHONE}", target.Member.Phone);
            if (body.Contains("{NEWISSUED}", StringComparison.Ordinal)) body =
                body.Replace("{NEWISSUED}", await app.IssueCard(target.StationKey));
        }
        var fresh = Cards.NewNumber();
        var path = bad.Path.Replace("{CARD}", target.Member.Card).Replace("{NEW}", fresh);
        var client = bad.By switch
        {
            By.Station => app.Client(target.StationKey),
            By.Partner => app.Client(target.PartnerKey),
            By.Operator => app.Operator(),
            By.Member => target.Member.Client(),
            _ => app.Client(),
        };

        var response = await client.Send(bad.Method, path, body);
        var problem = await response.ExpectProblem(HttpStatusCode.BadRequest);
        if (bad.Errors)
        {
            Assert.True(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(),
                problem.ToString());
        }

        var after = await Snapshot();
        Assert.Equal(before.Balance, after.Balance);
        Assert.Equal(before.History, after.History);
        Assert.Equal(before.Summary, after.Summary);
        if (bad.Path.Contains("{NEW}", StringComparison.Ordinal))
            await app.Client(target.StationKey).GetAsync($"/api/pos/v1/cards/{fresh}/balance")
                .ExpectProblem(HttpStatusCode.NotFound);
    }

    /// <summary>The target card as its member and an operator see it, without the clock-dependent parts.</summary>
    private async Task<(string Balance, string History, string Summary)> Snapshot()
    {
        var member = target.Member.Client();
        var balance = (await member.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/balance"));
        var history = await member.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/history?limit=100");
        var summary = await target.App.Operator()
            .GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{target.Member.Card}");
        var me = await member.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me");
        return (
            $"{balance.GetProperty("available")} {balance.GetProperty("total")} {balance.GetProperty("onHold")}",
            history.GetProperty("items").ToString(),
            $"{summary.GetProperty("status")} {summary.GetProperty("spendingEnabled")} "
            + $"{summary.GetProperty("balance").GetProperty("total")} "
            + $"{summary.GetProperty("tier").GetProperty("qualifyingLitres")} {me}");
    }
}
