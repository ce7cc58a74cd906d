using BpClub.Domain.Members;
using BpClub.Grains.Members;
using BpClub.Grains.Members.Storage;
using BpClub.Grains.Sms;

namespace BpClub.Grains.Members;

/// <summary>
/// One registration, password reset, phone change or card replacement waiting for its SMS code. The code is kept
/// only as a hash, lives <see cref="CabinetOptions.CodeLifetime"/> and allows
/// <see cref="CabinetOptions.CodeAttempts"/> tries.
/// </summary>
public sealed class VerificationGrain(
    MemberStore store,
    MemberPasswords passwords,
    SmsQuota quota,
    IOptions<CabinetOptions> options,
    TimeProvider time) : Grain, IVerificationGrain
{
    private enum Purpose { None, Registration, PasswordReset, PhoneChange, CardReplacement }

    private readonly CabinetOptions _options = options.Value;
    private Purpose _purpose;
    private CardNumber? _card;
    private CardNumber? _newCard;
    private PhoneNumber? _phone;
    private string? _passwordHash;
    private byte[] _codeHash = [];
    private DateTimeOffset _expiresAt;
    private int _wrongCodes;
    private bool _used;
    private bool _phoneTaken;

    public async Task<Outcome<CodeSent>> StartRegistration(CardNumber card, PhoneNumber phone, string password,
        string source, string? cardCode)
    {
        if (_purpose != Purpose.None) return Outcome<CodeSent>.Fail(OutcomeStatus.Conflict,
            "This confirmation id is taken.");
        if (PasswordPolicy.Check(password, phone) is { } problem) return Outcome<CodeSent>.Invalid("password", problem);
        // A number no text can reach is bad input, refused before the card's rules are looked at.
        if (!quota.MayReceive(phone)) return Outcome<CodeSent>.Invalid("phone", SmsQuota.MobileOnly);

        var summary = await GrainFactory.GetGrain<ICardGrain>(card.Value).GetSummary();
        if (summary.Status == OutcomeStatus.NotFound)
            return Outcome<CodeSent>.Fail(OutcomeStatus.NotFound,
                "No card with this number has been issued. Cards are issued at the station's till.");
        if (!summary.Succeeded) return summary.As<CodeSent>();
        if (summary.Value!.Status != "active") return Outcome<CodeSent>.Fail(OutcomeStatus.Rejected,
            "Participation on this card has ended.");
        if (await GrainFactory.GetGrain<IMemberGrain>(card.Value).IsRegistered())
            return Outcome<CodeSent>.Fail(OutcomeStatus.Conflict,
                "This card is already registered. Sign in with your phone and password.");
        // A phone that already holds a card answers exactly like a free one (no membership oracle): its owner
        // gets a text without a code saying so, and no code can confirm this registration.
        _phoneTaken = await store.FindCardByPhone(phone.Value) is not null;

        // Possession before any text goes out: a stranger who knows only the number gets no SMS sent anywhere.
        var proven = await GrainFactory.GetGrain<IMemberGrain>(card.Value).ProveHolder(phone, cardCode);
        if (!proven.Succeeded) return proven.As<CodeSent>();

        var code = Codes.NewCode();
        var text = _phoneTaken ? Codes.PhoneTakenText() : Codes.RegistrationText(code, _options.CodeLifetime);
        var sent = await GrainFactory.GetGrain<IPhoneGrain>(phone.Value).SendCode(text, source);
        if (!sent.Succeeded) return sent.As<CodeSent>();

        (_purpose, _card, _phone, _passwordHash) =
            (Purpose.Registration, card, phone, _phoneTaken ? null : await passwords.HashAsync(password));
        return Pending(code);
    }

    public async Task<Outcome<SessionGrant>> ConfirmRegistration(string code)
    {
        if (_purpose != Purpose.Registration) return Outcome<SessionGrant>.Fail(OutcomeStatus.NotFound,
            "Unknown registration.");
        if (Check(code) is { } refused) return refused.As<SessionGrant>();

        var registered = await GrainFactory.GetGrain<IMemberGrain>(_card!.Value).Register(_phone!, _passwordHash!);
        if (registered.Succeeded) Finish();
        return registered;
    }

    public async Task<Outcome<CodeSent>> StartPasswordReset(PhoneNumber phone, string source)
    {
        if (_purpose != Purpose.None) return Outcome<CodeSent>.Fail(OutcomeStatus.Conflict,
            "This confirmation id is taken.");
        var card = await store.FindCardByPhone(phone.Value);
        var code = Codes.NewCode();
        var phoneGrain = GrainFactory.GetGrain<IPhoneGrain>(phone.Value);
        // An unregistered phone gets the same answer, at the same pace, but no text.
        Outcome<bool> sent;
        try
        {
            sent = card is null
                ? await phoneGrain.PretendToSendCode()
                : await phoneGrain.SendCode(Codes.ResetText(code, _options.CodeLifetime), source);
        }
        catch (SmsUnavailableException)
        {
            // Answered as if sent (the failure is logged by the gateway): a 503 here would tell a registered
            // phone from an unknown one. The member asks again.
            sent = Outcome<bool>.Done(true);
        }
        // A phone that had a code a moment ago is answered as any other (a 429 would tell that someone, so
        // perhaps a member, asked for one); it just gets no second text yet.
        if (sent.Status == OutcomeStatus.Throttled) sent = Outcome<bool>.Done(true);
        if (!sent.Succeeded) return sent.As<CodeSent>();

        (_purpose, _card, _phone) = (Purpose.PasswordReset, card is null ? null : CardNumber.Parse(card), phone);
        return Pending(code);
    }

    public async Task<Outcome<bool>> ConfirmPasswordReset(string code, string newPassword)
    {
        if (_purpose != Purpose.PasswordReset) return Outcome<bool>.Fail(OutcomeStatus.NotFound,
            "Unknown password reset.");
        if (PasswordPolicy.Check(newPassword, _phone) is { } problem) return Outcome<bool>.Invalid("newPassword",
            problem);
        if (Check(code) is { } refused) return refused;
        if (_card is null) return Outcome<bool>.Invalid("code", "The code is not correct.");

        var reset = await GrainFactory.GetGrain<IMemberGrain>(_card.Value)
            .ResetPassword(await passwords.HashAsync(newPassword));
        if (reset.Succeeded)
        {
            Finish();
            await GrainFactory.GetGrain<IPhoneGrain>(_phone!.Value).ClearLockout();
        }
        return reset;
    }

    public async Task<Outcome<CodeSent>> StartPhoneChange(CardNumber card, string sessionId, PhoneNumber phone,
        string password, string source)
    {
        if (_purpose != Purpose.None) return Outcome<CodeSent>.Fail(OutcomeStatus.Conflict,
            "This confirmation id is taken.");
        if (!quota.MayReceive(phone)) return Outcome<CodeSent>.Invalid("phone", SmsQuota.MobileOnly);
        // The password before any text goes out: a stolen session alone sends no SMS anywhere.
        var proven = await GrainFactory.GetGrain<IMemberGrain>(card.Value).ProvePassword(sessionId, password, phone,
            source);
        if (!proven.Succeeded) return proven.As<CodeSent>();

        // A phone that already holds a card answers exactly like a free one, at the same caps (no membership
        // oracle): its owner gets a text without a code, and no code can confirm this change.
        _phoneTaken = await store.FindCardByPhone(phone.Value) is not null;
        var code = Codes.NewCode();
        var text = _phoneTaken ? Codes.PhoneChangeTakenText() : Codes.PhoneChangeText(code, _options.CodeLifetime);
        var sent = await GrainFactory.GetGrain<IPhoneGrain>(phone.Value).SendCode(text, source);
        if (!sent.Succeeded) return sent.As<CodeSent>();

        (_purpose, _card, _phone) = (Purpose.PhoneChange, card, phone);
        return Pending(code);
    }

    public async Task<Outcome<MemberProfile>> ConfirmPhoneChange(CardNumber card, string sessionId, string code)
    {
        // Another member's change is as unknown as one never started.
        if (_purpose != Purpose.PhoneChange || _card != card)
            return Outcome<MemberProfile>.Fail(OutcomeStatus.NotFound, "Unknown phone change.");
        if (Check(code) is { } refused) return refused.As<MemberProfile>();

        var moved = await GrainFactory.GetGrain<IMemberGrain>(card.Value).MovePhone(sessionId, _phone!);
        if (moved.Succeeded) Finish();
        return moved;
    }

    public async Task<Outcome<CodeSent>> StartCardReplacement(CardNumber card, CardNumber newCard, PhoneNumber phone,
        string source)
    {
        if (_purpose != Purpose.None) return Outcome<CodeSent>.Fail(OutcomeStatus.Conflict,
            "This confirmation id is taken.");
        var code = Codes.NewCode();
        var sent = await GrainFactory.GetGrain<IPhoneGrain>(phone.Value)
            .SendCode(Codes.ReplacementText(code, newCard, _options.CodeLifetime), source);
        if (!sent.Succeeded) return sent.As<CodeSent>();
        (_purpose, _card, _newCard, _phone) = (Purpose.CardReplacement, card, newCard, phone);
        return Pending(code);
    }

    public Task<Outcome<CardNumber>> ConfirmCardReplacement(CardNumber card, string code)
    {
        // Another member's replacement id is unknown to this one, as any id never issued.
        if (_purpose != Purpose.CardReplacement || _card != card)
            return Task.FromResult(Outcome<CardNumber>.Fail(OutcomeStatus.NotFound, "Unknown card replacement."));
        if (Check(code) is { } refused) return Task.FromResult(refused.As<CardNumber>());
        Finish();
        return Task.FromResult(Outcome<CardNumber>.Done(_newCard!));
    }

    private Outcome<CodeSent> Pending(string code)
    {
        _codeHash = Codes.Hash(code);
        _expiresAt = time.GetUtcNow() + _options.CodeLifetime;
        // Stay in memory for the code's whole life, even when nobody calls.
        DelayDeactivation(_options.CodeLifetime + TimeSpan.FromMinutes(1));
        return Outcome<CodeSent>.Done(new CodeSent(this.GetPrimaryKey(), _expiresAt));
    }

    /// <summary>Null when the code is right; a right code for an account that no longer exists is the caller's to
    /// handle.</summary>
    private Outcome<bool>? Check(string code)
    {
        if (_used) return Outcome<bool>.Fail(OutcomeStatus.Conflict, "This code has already been used.");
        if (_wrongCodes >= _options.CodeAttempts)
            return Outcome<bool>.Throttled(TimeSpan.FromSeconds(1), "Too many wrong codes: ask for a new one.");
        if (time.GetUtcNow() >= _expiresAt) return Outcome<bool>.Invalid("code",
            "The code has expired: ask for a new one.");
        var confirmable = _purpose == Purpose.PasswordReset ? _card is not null : !_phoneTaken;
        if (Codes.Matches(_codeHash, code) && confirmable) return null;

        _wrongCodes++;
        return _wrongCodes >= _options.CodeAttempts
            ? Outcome<bool>.Throttled(TimeSpan.FromSeconds(1), "Too many wrong codes: ask for a new one.")
            : Outcome<bool>.Invalid("code", "The code is not correct.");
    }

    private void Finish()
    {
        _used = true;
        _passwordHash = null;
        _codeHash = [];
    }
}
