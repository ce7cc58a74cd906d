using BpClub.Domain.Cards;

namespace BpClub.Domain.Tests.Cards;

public sealed class CardNumberTests
{
    [Theory]
    [InlineData("4000001234567899")]
    [InlineData("4000 0012 3456 7899")]
    [InlineData("4000-0012-3456-7899")]
    public void Sixteen_digits_with_a_valid_check_digit_parse_whatever_the_grouping(string text)
    {
        Assert.True(CardNumber.TryParse(text, out var card));
        Assert.Equal("4000001234567899", card.Value);
    }

    [Theory]
    [InlineData("4000001234567898")]  // wrong check digit
    [InlineData("400000123456789")]   // 15 digits
    [InlineData("40000012345678993")] // 17 digits
    [InlineData("4000O01234567899")]  // a letter O
    [InlineData("4000_0012_3456_7899")]
    [InlineData("４０００００１２３４５６７８９９")] // full-width digits
    [InlineData("")]
    [InlineData("    ")]
    [InlineData(null)]
    public void Anything_else_is_rejected(string? text)
    {
        Assert.False(CardNumber.TryParse(text, out _));
        Assert.Throws<FormatException>(() => CardNumber.Parse(text!));
    }

    [Fact]
    public void Fifteen_digits_are_completed_with_their_Luhn_check_digit()
    {
        var card = CardNumber.WithCheckDigit("400000123456789");

        Assert.Equal("4000001234567899", card.Value);
        Assert.True(CardNumber.TryParse(card.Value, out _));
    }

    [Fact]
    public void Every_single_digit_typo_is_caught()
    {
        const string valid = "4000001234567899";
        for (var i = 0; i < valid.Length; i++)
        for (var d = '0'; d <= '9'; d++)
        {
            if (valid[i] == d) continue;
            var typo = valid[..i] + d + valid[(i + 1)..];
            Assert.False(CardNumber.TryParse(typo, out _), typo);
        }
    }
}
