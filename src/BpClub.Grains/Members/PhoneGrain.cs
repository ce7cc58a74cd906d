using BpClub.Grains.Members;
using BpClub.Grains.Members.Storage;
using BpClub.Grains.Sms;

namespace BpClub.Grains.Members;

/// <summary>
/// Sign-in and SMS pacing for one phone number. Calls for one phone run one at a time, so the
/// lock-out counts every wrong password exactly. The state is in memory only (no phone number is
/// written anywhere by this grain); the grain outlives the lock-out so that idling does not lift it.
/// </summary>
[CollectionAgeLimit(Minutes = 30)]
public sealed partial class PhoneGrain(
    MemberStore store,
    MemberPasswords passwords,
    ISmsSender sms,
    SmsQuota quota,
    IOptions<CabinetOptions> options,
    TimeProvider time,
    ILogger<PhoneGrain> logger) : Grain, IPhoneGrain
{
    private readonly CabinetOptions _options = options.Value;
    private int _wrongPasswords;
    private int _lockouts;
    private DateTimeOffset _lockedUntil;
    private DateTimeOffset _lastCodeAt = DateTimeOffset.MinValue;

    private PhoneNumber Phone => PhoneNumber.Parse(this.GetPrimaryKeyString());

    public async Task<Outcome<SessionGrant>> SignIn(string password)
    {
        var now = time.GetUtcNow();
        if (_lockedUntil > now) return Locked<SessionGrant>(now);

        var card = await store.FindCardByPhone(Phone.Value);
        Outcome<SessionGrant> result;
        if (card is null)
        {
            await passwords.VerifyDecoyAsync(password);
            result = Outcome<SessionGrant>.Fail(OutcomeStatus.Unauthorized,
                "The phone number or the password is not correct.");
        }
        else
        {
            result = await GrainFactory.GetGrain<IMemberGrain>(card).SignIn(Phone, password);
        }

        if (result.Status != OutcomeStatus.Unauthorized)
        {
            if (result.Succeeded) (_wrongPasswords, _lockouts) = (0, 0);
            return result;
        }
        return CountWrongPassword(now) ? Locked<SessionGrant>(now) : result;
    }

    public Task<TimeSpan?> PasswordLockedFor()
    {
        var now = time.GetUtcNow();
        return Task.FromResult<TimeSpan?>(_lockedUntil > now ? _lockedUntil - now : null);
    }

    public Task<Outcome<bool>> CountPassword(bool right)
    {
        var now = time.GetUtcNow();
        if (right)
        {
            (_wrongPasswords, _lockouts) = (0, 0);
            return Task.FromResult(Outcome<bool>.Done(true));
        }
        return Task.FromResult(CountWrongPassword(now) ? Locked<bool>(now) : Outcome<bool>.Done(false));
    }

    /// <summary>True when this wrong password starts a lock-out.</summary>
    private bool CountWrongPassword(DateTimeOffset now)
    {
        if (++_wrongPasswords < _options.LockoutThreshold) return false;

        // Each lock-out in a row lasts twice the one before (15 min, 30 min, 1 h, ...; at most a day), until
        // a right password or a password reset.
        _wrongPasswords = 0;
        var duration = TimeSpan.FromTicks(Math.Min(TimeSpan.FromDays(1).Ticks,
            _options.LockoutDuration.Ticks * (1L << Math.Min(_lockouts, 20))));
        _lockouts++;
        _lockedUntil = now + duration;
        LogLockedOut(_options.LockoutThreshold, duration);
        return true;
    }

    public Task ClearLockout()
    {
        (_wrongPasswords, _lockouts, _lockedUntil) = (0, 0, DateTimeOffset.MinValue);
        return Task.CompletedTask;
    }

    public async Task<Outcome<bool>> SendCode(string text, string source)
    {
        if (NotReceiving() is { } invalid) return invalid;
        var previous = _lastCodeAt;
        if (TakeThrottle() is { } throttled) return throttled;
        var (refusal, retryAfter) = await quota.TryTake(Phone, source);
        if (refusal is not null)
        {
            _lastCodeAt = previous;
            return Outcome<bool>.Throttled(retryAfter, refusal == SmsRefusal.DailyBudget
                ? "No more texts can be sent today; try again tomorrow."
                : "Too many codes were asked for: try again later.");
        }
        try
        {
            await sms.Send(Phone, text);
        }
        catch (SmsUnavailableException)
        {
            // Nothing was sent: asking again need not wait for the resend interval.
            _lastCodeAt = previous;
            throw;
        }
        return Outcome<bool>.Done(true);
    }

    public Task<Outcome<bool>> PretendToSendCode() =>
        Task.FromResult(NotReceiving() ?? TakeThrottle() ?? Outcome<bool>.Done(true));

    /// <summary>A number texts may not go to (another country, a Ukrainian landline): invalid, whoever holds
    /// it.</summary>
    private Outcome<bool>? NotReceiving() => quota.MayReceive(Phone) ? null
        : Outcome<bool>.Invalid("phone", SmsQuota.MobileOnly);

    private Outcome<bool>? TakeThrottle()
    {
        var now = time.GetUtcNow();
        var next = _lastCodeAt + _options.CodeResendInterval;
        if (next > now)
            return Outcome<bool>.Throttled(next - now,
                "A code was sent to this phone a moment ago; ask for a new one a little later.");
        _lastCodeAt = now;
        return null;
    }

    private Outcome<T> Locked<T>(DateTimeOffset now) => Outcome<T>.Throttled(_lockedUntil - now,
        $"Too many wrong passwords: sign-in for this phone is locked until {_lockedUntil:HH:mm} UTC. "
        + "You can set a new password with a code by SMS.");

    // The phone number itself is personal data: it stays out of the log.
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Sign-in locked for a phone after {Threshold} wrong passwords, for {Duration}")]
    private partial void LogLockedOut(int threshold, TimeSpan duration);
}
