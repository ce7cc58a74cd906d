using BpClub.Domain.Members;
using BpClub.Grains.Members;
using BpClub.Grains.Members.Storage;
using BpClub.Grains.Sms;
using Microsoft.AspNetCore.Identity;

namespace BpClub.Grains.Members;

/// <summary>
/// A card's cabinet account. The members row is the truth and is written before any answer;
/// the grain keeps it in memory so that checking a session on every cabinet request costs no I/O.
/// </summary>
[CollectionAgeLimit(Minutes = 60)]
public sealed partial class MemberGrain(
    MemberStore store,
    MemberPasswords passwords,
    ISmsSender sms,
    IOptions<CabinetOptions> options,
    TimeProvider time,
    ILogger<MemberGrain> logger) : Grain, IMemberGrain
{
    private readonly CabinetOptions _options = options.Value;
    /// <summary>How long an idle activation stays (the attribute below): web sessions' idle timeouts are
    /// shorter.</summary>
    public static readonly TimeSpan IdleLife = TimeSpan.FromHours(1);

    private MemberRecord? _member;
    /// <summary>Wrong passwords given to switch spending on, and the lock they lead to (in memory, like
    /// sign-in's).</summary>
    private int _wrongSpendingPasswords;
    private DateTimeOffset _spendingLockedUntil;
    private readonly Dictionary<string, DateTimeOffset> _lastSeen = [];
    private int _wrongCurrentPasswords;
    private DateTimeOffset _changeLockedUntil;

    private string Card => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _member = await store.Load(Card);

    public Task<bool> IsRegistered() => Task.FromResult(_member is not null);

    public async Task<Outcome<SessionGrant>> Register(PhoneNumber phone, string passwordHash)
    {
        if (_member is not null) return Outcome<SessionGrant>.Fail(OutcomeStatus.Conflict,
            "This card is already registered.");
        var card = await GrainFactory.GetGrain<ICardGrain>(Card).GetSummary();
        if (!card.Succeeded) return card.As<SessionGrant>();
        if (card.Value!.Status != "active") return Outcome<SessionGrant>.Fail(OutcomeStatus.Rejected,
            "Participation on this card has ended.");

        var now = time.GetUtcNow();
        var (member, grant) = WithNewSession(new MemberRecord(Card, phone.Value, passwordHash, [], now, now), now);
        switch (await store.Insert(member))
        {
            case MemberInsert.CardTaken:
                _member = await store.Load(Card);
                return Outcome<SessionGrant>.Fail(OutcomeStatus.Conflict, "This card is already registered.");
            case MemberInsert.PhoneTaken:
                return Outcome<SessionGrant>.Fail(OutcomeStatus.Conflict,
                    "This phone number already holds a registered card.");
        }
        _member = member;
        LogRegistered(Card);
        return Outcome<SessionGrant>.Done(grant);
    }

    public async Task<Outcome<PossessionProof>> ProveHolder(PhoneNumber phone, string? cardCode)
    {
        var proof = await store.LoadProof(Card);
        if (proof is { Phone: { } recorded })
            return recorded == phone.Value
                ? Outcome<PossessionProof>.Done(PossessionProof.RecordedPhone)
                : Outcome<PossessionProof>.Fail(OutcomeStatus.Rejected,
                "This card cannot be registered with this phone number. Register with the phone given at the station " +
                "when the card was issued.");
        if (proof?.CardCodeHash is not { } hash)
            return Outcome<PossessionProof>.Fail(OutcomeStatus.Rejected,
                "This card cannot be registered online: it has no code. Ask at a station for a new card.");

        var now = time.GetUtcNow();
        if (proof.LockedUntil is { } locked && locked > now) return CardCodeLocked(locked, now);
        if (string.IsNullOrWhiteSpace(cardCode))
            return Outcome<PossessionProof>.Fail(OutcomeStatus.Rejected,
                "Enter the card code printed on the card (cardCode).");
        if (CardCodes.Matches(hash, cardCode))
        {
            if (proof.WrongCodes > 0 || proof.LockedUntil is not null) await store.SaveCardCodeAttempts(Card, 0, null);
            return Outcome<PossessionProof>.Done(PossessionProof.CardCode);
        }
        var wrong = proof.WrongCodes + 1;
        if (wrong >= _options.CardCodeAttempts)
        {
            var until = now + _options.CardCodeLockout;
            await store.SaveCardCodeAttempts(Card, 0, until);
            LogCardCodeLocked(Card, wrong, _options.CardCodeLockout);
            return CardCodeLocked(until, now);
        }
        await store.SaveCardCodeAttempts(Card, wrong, null);
        return Outcome<PossessionProof>.Fail(OutcomeStatus.Rejected, "The card code is not correct (cardCode).");
    }

    public async Task<Outcome<SpendingModel>> SwitchSpendingOn(string sessionId, string password)
    {
        if (_member is null || !_member.Sessions.Any(s => s.Id == sessionId && s.ExpiresAt > time.GetUtcNow()))
            return Outcome<SpendingModel>.Fail(OutcomeStatus.Unauthorized, "The session has ended.");
        var now = time.GetUtcNow();
        if (_spendingLockedUntil > now)
            return Outcome<SpendingModel>.Throttled(_spendingLockedUntil - now,
                $"Too many wrong passwords: spending can be switched on again after {_spendingLockedUntil:HH:mm} UTC.");
        if (await passwords.VerifyAsync(_member.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            if (++_wrongSpendingPasswords < _options.LockoutThreshold)
                return Outcome<SpendingModel>.Invalid("password", "This is not your password.");
            _wrongSpendingPasswords = 0;
            _spendingLockedUntil = now + _options.LockoutDuration;
            return Outcome<SpendingModel>.Throttled(_options.LockoutDuration,
                $"Too many wrong passwords: spending can be switched on again after {_spendingLockedUntil:HH:mm} UTC.");
        }
        _wrongSpendingPasswords = 0;

        var card = GrainFactory.GetGrain<ICardGrain>(Card);
        var before = await card.GetSummary();
        if (!before.Succeeded) return before.As<SpendingModel>();
        var switched = await card.SwitchSpending(true);
        if (switched.Succeeded && !before.Value!.SpendingEnabled)
        {
            // The member hears of it on the phone, so a switch made by someone else in their cabinet does not go
            // unseen.
            await sms.Send(PhoneNumber.Parse(_member.Phone), SpendingOnText(Card));
            LogSpendingSwitchedOn(Card);
        }
        return switched;
    }

    private static string SpendingOnText(string card) =>
        $"BP CLUB: оплату балами для картки *{card[^4..]} увімкнено. Якщо це були не ви, вимкніть її в кабінеті " +
        "та змініть пароль.";

    private static Outcome<PossessionProof> CardCodeLocked(DateTimeOffset until, DateTimeOffset now)
        => Outcome<PossessionProof>.Throttled(until - now,
        $"Too many wrong card codes: registration of this card is locked until {until:HH:mm} UTC.");

    public async Task<Outcome<SessionGrant>> SignIn(PhoneNumber phone, string password)
    {
        if (_member is null || _member.Phone != phone.Value)
        {
            await passwords.VerifyDecoyAsync(password);
            return WrongPassword();
        }
        var verified = await passwords.VerifyAsync(_member.PasswordHash, password);
        if (verified == PasswordVerificationResult.Failed) return WrongPassword();

        var now = time.GetUtcNow();
        var member = verified == PasswordVerificationResult.SuccessRehashNeeded
            ? _member with { PasswordHash = await passwords.HashAsync(password) }
            : _member;
        var (updated, grant) = WithNewSession(member, now);
        await Save(updated);
        return Outcome<SessionGrant>.Done(grant);
    }

    public Task<bool> IsSessionActive(string sessionId, TimeSpan idleTimeout, bool touch = true)
    {
        var now = time.GetUtcNow();
        if (_member?.Sessions.Any(s => s.Id == sessionId && s.ExpiresAt > now) != true) return Task.FromResult(false);
        // Last use is kept in memory (a write per request would cost every member request a round trip). A session
        // this activation has not seen yet counts as used now, unless its idle timeout is shorter than the grain's
        // idle life (CollectionAgeLimit): then the grain would have been here to see it, so it is treated as idle
        // (after a silo restart the web cabinet signs in again).
        if (!_lastSeen.TryGetValue(sessionId, out var seen))
        {
            if (idleTimeout < IdleLife) return Task.FromResult(false);
            seen = now;
        }
        if (now - seen > idleTimeout)
        {
            _lastSeen.Remove(sessionId);
            return Task.FromResult(false);
        }
        if (touch || !_lastSeen.ContainsKey(sessionId)) _lastSeen[sessionId] = touch ? now : seen;
        return Task.FromResult(true);
    }

    public async Task EndSession(string sessionId)
    {
        if (_member is null || _member.Sessions.All(s => s.Id != sessionId)) return;
        await Save(_member with { Sessions = _member.Sessions.Where(s => s.Id != sessionId).ToList() });
    }

    public async Task<Outcome<bool>> ChangePassword(string sessionId, string currentPassword, string newPassword)
    {
        if (_member is null || !_member.Sessions.Any(s => s.Id == sessionId
            && s.ExpiresAt > time.GetUtcNow())) return Outcome<bool>.Fail(OutcomeStatus.Unauthorized,
                "The session has ended.");
        // Guessing the current password from a stolen session is limited as sign-in is.
        var now = time.GetUtcNow();
        if (_changeLockedUntil > now) return ChangeLocked(now);
        if (await passwords.VerifyAsync(_member.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
        {
            if (++_wrongCurrentPasswords < _options.LockoutThreshold)
                return Outcome<bool>.Invalid("currentPassword", "This is not your current password.");
            _wrongCurrentPasswords = 0;
            _changeLockedUntil = now + _options.LockoutDuration;
            LogChangeLocked(Card, _options.LockoutThreshold);
            return ChangeLocked(now);
        }
        _wrongCurrentPasswords = 0;
        if (PasswordPolicy.Check(newPassword, PhoneNumber.Parse(_member.Phone)) is { } problem)
            return Outcome<bool>.Invalid("newPassword", problem);

        // A changed password ends every other session: whoever else knew the old one is out.
        await Save(_member with
        {
            PasswordHash = await passwords.HashAsync(newPassword),
            PasswordSetAt = time.GetUtcNow(),
            Sessions = _member.Sessions.Where(s => s.Id == sessionId).ToList(),
        });
        LogPasswordChanged(Card);
        return Outcome<bool>.Done(true);
    }

    public async Task<Outcome<bool>> ResetPassword(string passwordHash)
    {
        if (_member is null) return Outcome<bool>.Fail(OutcomeStatus.NotFound, "This card has no cabinet account.");
        await Save(_member with { PasswordHash = passwordHash, PasswordSetAt = time.GetUtcNow(), Sessions = [] });
        LogPasswordChanged(Card);
        return Outcome<bool>.Done(true);
    }

    public async Task<Outcome<MemberProfile>> GetProfile()
    {
        if (_member is null) return Outcome<MemberProfile>.Fail(OutcomeStatus.NotFound,
            "This card has no cabinet account.");
        var card = await GrainFactory.GetGrain<ICardGrain>(Card).GetSummary();
        var holder = await store.Holder(Card);
        return Outcome<MemberProfile>.Done(
            new MemberProfile(Card, PhoneNumber.Parse(_member.Phone), holder?.FirstName, holder?.LastName,
            card.Value?.Status ?? "unknown", holder?.BirthDate, _member.RegisteredAt,
            holder?.ConsentAt));
    }

    public Task<RegistrationSummary?> GetRegistration() => Task.FromResult(_member is null
        ? null
        : new RegistrationSummary(PhoneNumber.Parse(_member.Phone).Masked(), _member.RegisteredAt));

    public async Task Reload()
    {
        _member = await store.Load(Card);
        _lastSeen.Clear();
    }

    public async Task<SessionGrant?> AdoptSession(string sessionId)
    {
        _member = await store.Load(Card);
        var now = time.GetUtcNow();
        if (_member?.Sessions.FirstOrDefault(s => s.Id == sessionId && s.ExpiresAt > now) is not { } session)
            return null;
        _lastSeen[session.Id] = now;
        return new SessionGrant(Card, session.Id, session.ExpiresAt);
    }

    public async Task Close()
    {
        await store.Delete(Card);
        _member = null;
        LogClosed(Card);
        DeactivateOnIdle();
    }

    public async Task<Outcome<TerminationResult>> Terminate(string sessionId, string password, string source)
    {
        if (!HasSession(sessionId)) return Outcome<TerminationResult>.Fail(OutcomeStatus.Unauthorized,
            "The session has ended.");
        // A stolen session alone cannot end the membership: the password is asked for again.
        var proven = await PasswordAgain(password, source);
        if (!proven.Succeeded) return proven.As<TerminationResult>();

        // The card's termination erases the questionnaire and this account (phone, password, sessions) in the
        // statement that records it; what is left here is the copy in memory.
        var terminated = await GrainFactory.GetGrain<ICardGrain>(Card)
            .Terminate(new TerminateParticipation(time.GetUtcNow(), "cabinet"));
        if (terminated.Succeeded)
        {
            LogLeft(Card);
            await Close();
        }
        return terminated;
    }

    public async Task<Outcome<MemberProfile>> UpdateProfile(string sessionId, ProfileChange change)
    {
        if (!HasSession(sessionId)) return Outcome<MemberProfile>.Fail(OutcomeStatus.Unauthorized,
            "The session has ended.");
        if (!await store.UpdateHolder(Card, change))
            return Outcome<MemberProfile>.Fail(OutcomeStatus.NotFound, "This card has no questionnaire on record.");
        return await GetProfile();
    }

    public async Task<Outcome<bool>> ProvePassword(string sessionId, string password, PhoneNumber newPhone,
        string source)
    {
        if (!HasSession(sessionId)) return Outcome<bool>.Fail(OutcomeStatus.Unauthorized, "The session has ended.");
        // As for leaving the programme: a stolen session alone cannot move the account.
        var proven = await PasswordAgain(password, source);
        if (!proven.Succeeded) return proven;
        if (newPhone.Value == _member!.Phone)
            return Outcome<bool>.Invalid("phone", "This is already your phone number.");
        return Outcome<bool>.Done(true);
    }

    /// <summary>
    /// The password asked for again in the cabinet: guessing it here counts against the same lock-out as guessing it
    /// at sign-in from <paramref name="source"/> (429 while locked, even for the right one; a wrong one is a 400).
    /// </summary>
    private async Task<Outcome<bool>> PasswordAgain(string password, string source)
    {
        var phone = GrainFactory.GetGrain<IPhoneGrain>(_member!.Phone);
        if (await phone.PasswordLockedFor(source) is { } locked)
            return Outcome<bool>.Throttled(locked,
                "Too many wrong passwords: try again later, or set a new password with a code by SMS.");
        var right = await passwords.VerifyAsync(_member.PasswordHash, password) != PasswordVerificationResult.Failed;
        var counted = await phone.CountPassword(right, source);
        if (right) return Outcome<bool>.Done(true);
        return counted.Status == OutcomeStatus.Throttled ? counted
            : Outcome<bool>.Invalid("password", "This is not your password.");
    }

    public async Task<Outcome<MemberProfile>> MovePhone(string sessionId, PhoneNumber phone)
    {
        if (!HasSession(sessionId)) return Outcome<MemberProfile>.Fail(OutcomeStatus.Unauthorized,
            "The session has ended.");
        var old = _member!.Phone;
        if (old == phone.Value) return await GetProfile();
        switch (await store.MovePhone(Card, old, phone.Value))
        {
            case PhoneMove.PhoneTaken:
                return Outcome<MemberProfile>.Fail(OutcomeStatus.Conflict,
                    "This phone number already holds a registered card.");
            case PhoneMove.NotFound:
                _member = await store.Load(Card);
                return Outcome<MemberProfile>.Fail(OutcomeStatus.Conflict,
                    "The account changed meanwhile: start the phone change again.");
        }
        _member = _member with { Phone = phone.Value };
        LogPhoneChanged(Card);
        try
        {
            // The old phone hears of it, so a change made by someone else does not go unseen.
            await sms.Send(PhoneNumber.Parse(old), Codes.PhoneChangedText(Card, phone.Masked()));
        }
        catch (SmsUnavailableException)
        {
            // The change is made and stays; the gateway has logged its failure.
            LogPhoneChangeNoticeFailed(Card);
        }
        return await GetProfile();
    }

    private bool HasSession(string sessionId) =>
        _member is not null && _member.Sessions.Any(s => s.Id == sessionId && s.ExpiresAt > time.GetUtcNow());

    private (MemberRecord Member, SessionGrant Grant) WithNewSession(MemberRecord member, DateTimeOffset now)
    {
        var session = new MemberSession(Codes.NewSessionId(), now + _options.SessionLifetime);
        _lastSeen[session.Id] = now;
        var sessions = member.Sessions.Where(s => s.ExpiresAt > now)
            .OrderByDescending(s => s.ExpiresAt).Take(_options.MaxSessions - 1)
            .Append(session).ToList();
        return (member with { Sessions = sessions }, new SessionGrant(Card, session.Id, session.ExpiresAt));
    }

    private async Task Save(MemberRecord member)
    {
        await store.Update(member);
        _member = member;
    }

    private Outcome<bool> ChangeLocked(DateTimeOffset now) => Outcome<bool>.Throttled(_changeLockedUntil - now,
        $"Too many wrong current passwords: changing the password is locked until {_changeLockedUntil:HH:mm} UTC.");

    private static Outcome<SessionGrant> WrongPassword() =>
        Outcome<SessionGrant>.Fail(OutcomeStatus.Unauthorized, "The phone number or the password is not correct.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {Card}: cabinet account registered")]
    private partial void LogRegistered(string card);

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {Card}: password changed; other sessions ended")]
    private partial void LogPasswordChanged(string card);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Card {Card}: {Wrong} wrong card codes; registration locked for {Duration}")]
    private partial void LogCardCodeLocked(string card, int wrong, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Card {Card}: spending switched on; the member was told by SMS")]
    private partial void LogSpendingSwitchedOn(string card);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Card {Card}: password change locked after {Threshold} wrong current passwords")]
    private partial void LogChangeLocked(string card, int threshold);

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {Card}: the cabinet account moved to a new phone")]
    private partial void LogPhoneChanged(string card);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Card {Card}: the phone changed, but the SMS telling the old phone could not be sent")]
    private partial void LogPhoneChangeNoticeFailed(string card);

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {Card}: the member left the programme")]
    private partial void LogLeft(string card);

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {Card}: cabinet account closed and erased")]
    private partial void LogClosed(string card);
}
