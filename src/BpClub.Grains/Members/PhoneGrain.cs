using BpClub.Grains.Members;
using BpClub.Grains.Members.Storage;
using BpClub.Grains.Sms;

namespace BpClub.Grains.Members;

/// <summary>
/// Sign-in and SMS pacing for one phone number. Calls for one phone run one at a time, so the
/// lock-out counts every wrong password exactly. The state is in memory only (no phone number is
/// written anywhere by this grain); the grain outlives the lock-out so that idling does not lift it.
/// </summary>
/// <remarks>
/// Wrong passwords lock the source they came from (<see cref="CabinetOptions.LockoutThreshold"/> in a row), so that
/// someone guessing from one address does not lock the member out everywhere; and the phone for every source after
/// <see cref="CabinetOptions.PhoneLockoutThreshold"/> in a row from all of them together, so that guessing spread
/// over many addresses still ends. A right password ends the run of its source and the phone's; a password reset
/// clears every lock-out.
/// </remarks>
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
    private readonly PasswordStrikes _phone = new();
    private readonly Dictionary<string, PasswordStrikes> _sources = [];
    private DateTimeOffset _lastCodeAt = DateTimeOffset.MinValue;

    private PhoneNumber Phone => PhoneNumber.Parse(this.GetPrimaryKeyString());

    public async Task<Outcome<SessionGrant>> SignIn(string password, string source)
    {
        var now = time.GetUtcNow();
        if (LockFor(source, now) is { } lockedUntil) return Locked<SessionGrant>(now, lockedUntil);

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
            if (result.Succeeded) RightPassword(source);
            return result;
        }
        return CountWrongPassword(source, now) is { } until ? Locked<SessionGrant>(now, until) : result;
    }

    public Task<TimeSpan?> PasswordLockedFor(string source)
    {
        var now = time.GetUtcNow();
        return Task.FromResult(LockFor(source, now) - now);
    }

    public Task<Outcome<bool>> CountPassword(bool right, string source)
    {
        var now = time.GetUtcNow();
        if (right)
        {
            RightPassword(source);
            return Task.FromResult(Outcome<bool>.Done(true));
        }
        return Task.FromResult(CountWrongPassword(source, now) is { } until ? Locked<bool>(now, until)
            : Outcome<bool>.Done(false));
    }

    /// <summary>Until when sign-in from <paramref name="source"/> is locked, or null when it is not.</summary>
    private DateTimeOffset? LockFor(string source, DateTimeOffset now)
    {
        var fromSource = _sources.GetValueOrDefault(source)?.LockedUntil ?? DateTimeOffset.MinValue;
        var until = fromSource > _phone.LockedUntil ? fromSource : _phone.LockedUntil;
        return until > now ? until : null;
    }

    /// <summary>Counts a wrong password from <paramref name="source"/>; the end of the lock-out it starts, if it
    /// starts one (for that source, or for the phone).</summary>
    private DateTimeOffset? CountWrongPassword(string source, DateTimeOffset now)
    {
        if (!_sources.TryGetValue(source, out var strikes))
        {
            if (_sources.Count >= _options.LockoutSourcesKept) ForgetOldestSource(now);
            _sources[source] = strikes = new PasswordStrikes();
        }
        var sourceLocked = strikes.Strike(now, _options.LockoutThreshold, _options.LockoutDuration);
        var phoneLocked = _phone.Strike(now, _options.PhoneLockoutThreshold, _options.LockoutDuration);
        if (phoneLocked) LogPhoneLockedOut(_options.PhoneLockoutThreshold, _phone.LockedUntil - now);
        else if (sourceLocked) LogLockedOut(_options.LockoutThreshold, strikes.LockedUntil - now);
        return sourceLocked || phoneLocked ? LockFor(source, now) : null;
    }

    /// <summary>Too many sources to remember: the one tried longest ago goes, a locked one only when every one
    /// is locked (the phone-wide count still holds what they did).</summary>
    private void ForgetOldestSource(DateTimeOffset now)
    {
        var oldest = _sources.OrderBy(s => s.Value.IsLocked(now)).ThenBy(s => s.Value.LastSeen).First();
        _sources.Remove(oldest.Key);
    }

    /// <summary>The run of wrong ones ends for this source and for the phone; another source's lock-out stays (the
    /// member signing in does not free a guesser elsewhere).</summary>
    private void RightPassword(string source)
    {
        _phone.Clear();
        _sources.Remove(source);
    }

    public Task ClearLockout()
    {
        _phone.Clear();
        _sources.Clear();
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

    private static Outcome<T> Locked<T>(DateTimeOffset now, DateTimeOffset until) => Outcome<T>.Throttled(until - now,
        $"Too many wrong passwords: sign-in for this phone is locked until {until:HH:mm} UTC. "
        + "You can set a new password with a code by SMS.");

    // The phone number itself is personal data: it stays out of the log.
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Sign-in locked for a phone from one source after {Threshold} wrong passwords, for {Duration}")]
    private partial void LogLockedOut(int threshold, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in locked for a phone from every source after "
        + "{Threshold} wrong passwords in a row from all of them, for {Duration}")]
    private partial void LogPhoneLockedOut(int threshold, TimeSpan duration);
}
