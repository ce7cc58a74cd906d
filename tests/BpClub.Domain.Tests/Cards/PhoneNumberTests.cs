using BpClub.Domain.Cards;

namespace BpClub.Domain.Tests.Cards;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("+380671234567")]
    [InlineData("+380 67 123 45 67")]
    [InlineData("+38 (067) 123-45-67")]
    [InlineData("380671234567")]
    [InlineData("067 123 45 67")]
    [InlineData("067-123-45-67")]
    [InlineData("(067) 1234567")]
    [InlineData("0671234567")]
    [InlineData("8 067 123 45 67")]
    [InlineData("  067.123.45.67  ")]
    public void Ukrainian_numbers_in_their_usual_written_forms_become_E164(string text)
    {
        Assert.True(PhoneNumber.TryParse(text, out var phone), text);
        Assert.Equal("+380671234567", phone.Value);
    }

    [Theory]
    [InlineData("+48 601 234 567", "+48601234567")]
    [InlineData("+1 (212) 555-0100", "+12125550100")]
    public void Other_countries_numbers_are_accepted_with_a_leading_plus(string text, string e164)
    {
        Assert.True(PhoneNumber.TryParse(text, out var phone));
        Assert.Equal(e164, phone.Value);
    }

    [Theory]
    [InlineData("67 123 45 67")]       // no operator prefix
    [InlineData("+380 0671234567")]    // the trunk 0 kept after the country code
    [InlineData("+380 67 123 45 6")]   // too short
    [InlineData("+380 67 123 45 678")] // too long
    [InlineData("+0671234567")]
    [InlineData("067 123 45 67 ext 2")]
    [InlineData("067+1234567")]
    [InlineData("++380671234567")]
    [InlineData("")]
    [InlineData(null)]
    public void Nonsense_is_rejected(string? text)
    {
        Assert.False(PhoneNumber.TryParse(text, out _));
    }
}
