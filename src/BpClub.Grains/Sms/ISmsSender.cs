namespace BpClub.Grains.Sms;

/// <summary>Sends a text message to a phone: a gateway in production, the outbox file in development.</summary>
public interface ISmsSender
{
    Task Send(PhoneNumber to, string text, CancellationToken cancellationToken = default);
}
