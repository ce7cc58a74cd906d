using BpClub.Domain.Programme;
using BpClub.Grains.Cards.Commands;
using BpClub.Grains.Promotions.Storage;
using static BpClub.Grains.Cards.CardOutcomes;

namespace BpClub.Grains.Cards;

/// <summary>
/// What a card answers without a command: from its committed account (balance, level, a quote) or from its ledger
/// (history pages, one history across the cards it replaced; support's last operations). Nothing is queued.
/// </summary>
internal sealed class CardQueries(string card, CardCommandLog log, CardLedgerStore history,
    ActivePromotions promotions, CommandValidator validator, ProgrammeRules rules, TimeProvider time)
{
    private CardAccount Account => log.Account;

    public Outcome<T> Read<T>(Func<CardAccount, DateTimeOffset, T> read) =>
        Account.Status == CardStatus.NotIssued ? Outcome<T>.Fail(OutcomeStatus.NotFound, "Unknown card.")
        : Outcome<T>.Done(read(Account, time.GetUtcNow()));

    public async Task<Outcome<PurchaseQuoteResult>> Quote(RecordPurchase command)
    {
        if (command is null) return Outcome<PurchaseQuoteResult>.Invalid("body", "Required.");
        var now = time.GetUtcNow();
        var purchase = PurchaseCommand.ToDomain(command, now);
        if (validator.Validate(purchase, now) is { IsEmpty: false } errors)
            return Outcome<PurchaseQuoteResult>.Invalid(errors.ToDictionary());
        // Rated on the committed state, as a purchase arriving now would be.
        var quote = Account.Quote(purchase, await promotions.Current());
        return quote.Earning is { } earning
            ? Outcome<PurchaseQuoteResult>.Done(new PurchaseQuoteResult(earning.Total, ToModel(earning.Breakdown)))
            : Refuse<PurchaseQuoteResult>(quote.Rejection!);
    }

    /// <summary>For support: the last operations with who made them.</summary>
    public async Task<Outcome<IReadOnlyList<SupportHistoryItem>>> RecentOperations(int limit) =>
        Account.Status == CardStatus.NotIssued
            ? Outcome<IReadOnlyList<SupportHistoryItem>>.Fail(OutcomeStatus.NotFound, "Unknown card.")
            : Outcome<IReadOnlyList<SupportHistoryItem>>.Done(
                await history.ReadSupportHistory(card, Math.Clamp(limit, 1, 100)));

    /// <summary>
    /// One history across replacements: this card's entries, then those of the cards it replaced. A cursor into an
    /// earlier card names it ("card:seq"), and only a card this one replaced may be named.
    /// </summary>
    public async Task<Outcome<HistoryPage>> History(HistoryQuery query)
    {
        if (query is null) return Outcome<HistoryPage>.Invalid("body", "Required.");
        IReadOnlyList<string> chain = [card, .. Account.Predecessors];
        var start = 0;
        var cursor = query.Cursor;
        if (cursor?.Split(':') is [var earlier, var seq])
        {
            start = chain.Skip(1).ToList().IndexOf(earlier) + 1;
            if (start == 0) return Outcome<HistoryPage>.Invalid("cursor", "Not a cursor from a previous page.");
            cursor = seq;
        }
        if (HistoryPaging.Validate(query with { Cursor = cursor }, out var before) is { IsEmpty: false } errors)
            return Outcome<HistoryPage>.Invalid(errors.ToDictionary());
        if (Account.Status == CardStatus.NotIssued)
            return Outcome<HistoryPage>.Fail(OutcomeStatus.NotFound, "Unknown card.");
        var calendar = Account.Calendar;
        var kinds = query.Kinds?.Distinct().ToList();
        DateTimeOffset? from = query.From is { } f ? calendar.DayStart(f) : null;
        DateTimeOffset? until = query.To is { } end && end < DateOnly.MaxValue ? calendar.DayStart(end.AddDays(1))
            : null;
        var items = new List<HistoryItem>();
        string? nextCursor = null;
        for (var i = start; i < chain.Count && items.Count < query.Limit; i++)
        {
            var page = await history.ReadHistory(chain[i], query.Limit - items.Count, i == start ? before : null,
                kinds, from, until);
            items.AddRange(i == 0 ? page.Items : page.Items.Select(item => item with { Id = $"{chain[i]}:{item.Id}" }));
            if (page.NextCursor is not null)
            {
                nextCursor = items[^1].Id;
                break;
            }
            if (items.Count >= query.Limit && i + 1 < chain.Count) nextCursor = $"{chain[i + 1]}:{long.MaxValue}";
        }
        return Outcome<HistoryPage>.Done(new HistoryPage(items, nextCursor, rules.TimeZone));
    }
}
