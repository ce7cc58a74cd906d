using BpClub.Abstractions;
using BpClub.Domain.Cards;
using BpClub.Domain.Ledger;
using BpClub.Grains.Cards.Commands;
using BpClub.Grains.Members.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static BpClub.Grains.Cards.CardOutcomes;

namespace BpClub.Grains.Cards;

// A lost or damaged card: the two-card hand-over, a saga whose every step is durable and idempotent
// (docs/rules.md, "Lost or damaged card"). This card, the old one, drives it:
//   1. its ledger records ReplacementStarted (everything leaves it, in transit, under a new transfer id),
//      with the release reminder due at once, in the same transaction;
//   2. the cabinet account moves to the new card (members row; nothing left to move is nothing to do);
//   3. the new card records TransferReceived, keyed by the transfer id (a second time answers the first);
//   4. its ledger records ReplacementCompleted: closed.
// Whatever stops it between steps, a retry, the reminder or the next call runs the remaining steps again.
public sealed partial class CardGrain
{
    private Task? _finishing;

    public async Task<Outcome<ReplacementResult>> Replace(ReplaceCard command)
    {
        if (_log is null) return NotACard<ReplacementResult>();
        if (command is null) return Outcome<ReplacementResult>.Invalid("body", "Required.");
        if (!CardNumber.TryParse(command.NewCardNumber, out var parsed))
            return Outcome<ReplacementResult>.Invalid("newCardNumber",
                "A card number is 16 digits with a valid check digit.");
        var next = parsed.Value;
        if (next == Key)
            return Outcome<ReplacementResult>.Invalid("newCardNumber", "The new card must be another card.");

        // A retry of a replacement under way or done does not look at the new card again: it may hold the points.
        var retry = Account.Replacing?.NewCard == next || Account.ReplacedBy == next;
        if (!retry && Account.Status == CardStatus.Active && await CheckNewCard(next) is { } refused) return refused;

        var registered = await GrainFactory.GetGrain<IMemberGrain>(Key).IsRegistered();
        var started = await _log.Run(new StartReplacementCommand(Key, command with { NewCardNumber = next },
            Guid.NewGuid().ToString("N"), registered));
        if (!started.Succeeded) return started;
        await FinishReplacement();
        return Account.ReplacedBy == next ? started
            : Outcome<ReplacementResult>.Fail(OutcomeStatus.Conflict,
                "The replacement by this card was abandoned: the new card was registered or closed meanwhile. "
                + "Nothing moved; replace the card by another new card.");
    }

    /// <summary>The new card must be one issued at a till, active, with no cabinet account.</summary>
    private async Task<Outcome<ReplacementResult>?> CheckNewCard(string next)
    {
        var summary = await GrainFactory.GetGrain<ICardGrain>(next).GetSummary();
        if (summary.Status == OutcomeStatus.NotFound)
            return Outcome<ReplacementResult>.Fail(OutcomeStatus.NotFound,
                "The new card has not been issued: issue it at a till first (newCardNumber).");
        if (!summary.Succeeded) return summary.As<ReplacementResult>();
        if (summary.Value!.Status != "active")
            return Outcome<ReplacementResult>.Fail(OutcomeStatus.Rejected,
                $"The new card is {summary.Value.Status}: a replacement needs an active card (newCardNumber).");
        if (await GrainFactory.GetGrain<IMemberGrain>(next).IsRegistered())
            return Outcome<ReplacementResult>.Fail(OutcomeStatus.Conflict,
                "The new card is registered already: a replacement needs a card fresh from the till "
                + "(newCardNumber).");
        return null;
    }

    public async Task<Outcome<BalanceModel>> ReceiveTransfer(string transferId, string oldCard)
    {
        if (_log is null) return NotACard<BalanceModel>();
        if (string.IsNullOrEmpty(transferId) || string.IsNullOrEmpty(oldCard))
            return Outcome<BalanceModel>.Invalid("transferId", "Required.");
        // What moves is what the old card's ledger says it handed over to this card: no caller can make it up.
        if (await history.FindReplacementStarted(oldCard, transferId) is not { } started || started.NewCard != Key)
            return Outcome<BalanceModel>.Fail(OutcomeStatus.NotFound, "No such transfer to this card.");
        return await _log.Run(new ReceiveTransferCommand(transferId, oldCard, started.Moved));
    }

    /// <summary>Runs the steps after the first one, once at a time; nothing when no replacement is under way.</summary>
    private Task FinishReplacement()
    {
        if (Account.Replacing is null) return Task.CompletedTask;
        return _finishing ??= Finish();
    }

    private async Task Finish()
    {
        try
        {
            await Task.Yield();
            if (Account.Replacing is not { } pending) return;
            var members = ServiceProvider.GetRequiredService<MemberStore>();
            if (await members.Move(Key, pending.NewCard) == MemberMove.TargetTaken)
            {
                await Abort(pending, "the new card was registered meanwhile");
                return;
            }
            var received = await GrainFactory.GetGrain<ICardGrain>(pending.NewCard)
                .ReceiveTransfer(pending.TransferId, Key);
            if (!received.Succeeded)
            {
                // The new card received nothing (a retry of a received transfer answers its first result).
                if (pending.MovesRegistration) await members.Move(pending.NewCard, Key);
                await GrainFactory.GetGrain<IMemberGrain>(Key).Reload();
                await Abort(pending, received.Detail ?? "the new card refused it");
                return;
            }
            await GrainFactory.GetGrain<IMemberGrain>(Key).Reload();
            await GrainFactory.GetGrain<IMemberGrain>(pending.NewCard).Reload();
            await _log!.Run(new CompleteReplacementCommand(pending.TransferId));
            LogReplaced(Key, pending.NewCard);
        }
        finally
        {
            _finishing = null;
        }
    }

    private async Task Abort(PendingReplacement pending, string reason)
    {
        await _log!.Run(new AbortReplacementCommand(pending.TransferId, reason));
        LogReplacementAborted(Key, reason);
    }

    /// <summary>
    /// A refund of a receipt this card earned before it was replaced goes to the card that holds its points now;
    /// a retry of one recorded here before is answered its first result.
    /// </summary>
    private async Task<Outcome<RefundResult>?> ForwardRefund(RefundPurchase command, CancellationToken cancellation)
    {
        if (Account is not { Status: CardStatus.Replaced, ReplacedBy: { } successor }) return null;
        var refund = new RefundCommand(command);
        if (await ledger.FindOperation(Key, refund.OperationKey!) is { } earlier)
            return Replay<RefundResult>(earlier, RequestHash(refund.Request!));
        return await GrainFactory.GetGrain<ICardGrain>(successor).Refund(command, cancellation);
    }

    /// <summary>
    /// One history across replacements: this card's entries, then those of the cards it replaced. A cursor into an
    /// earlier card names it ("card:seq"), and only a card this one replaced may be named.
    /// </summary>
    private async Task<Outcome<HistoryPage>> QueryChainedHistory(HistoryQuery query)
    {
        IReadOnlyList<string> chain = [Key, .. Account.Predecessors];
        var start = 0;
        var cursor = query.Cursor;
        if (cursor?.Split(':') is [var card, var seq])
        {
            start = chain.Skip(1).ToList().IndexOf(card) + 1;
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
        return Outcome<HistoryPage>.Done(new HistoryPage(items, nextCursor, options.Value.TimeZone));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {Card}: replaced by card {NewCard}")]
    private partial void LogReplaced(string card, string newCard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Card {Card}: replacement abandoned because {Reason}")]
    private partial void LogReplacementAborted(string card, string reason);
}
