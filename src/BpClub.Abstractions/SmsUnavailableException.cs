namespace BpClub.Abstractions;

/// <summary>
/// The SMS gateway did not accept a text after its retries (down, refusing, too slow). It carries neither
/// the phone nor the text. Front ends answer 503: asking for the code again a little later is safe.
/// </summary>
public sealed class SmsUnavailableException(string message) : Exception(message);
