using BpClub.Grains.Cards.Commands;
using BpClub.Grains.Members.Storage;
using static BpClub.Grains.Cards.CardOutcomes;

namespace BpClub.Grains.Cards.Replacement;

/// <summary>
/// A lost or damaged card: the two-card hand-over, a saga whose every step is durable and idempotent
/// (docs/rules.md, "Lost or damaged card"). The old card drives it, through its command log:
/// <list type="number">
/// <item>its ledger records ReplacementStarted (everything leaves it, in transit, under a new transfer id), with the
/// release reminder due at once, in the same transaction;</item>
/// <item>the cabinet account moves to the new card (members row; nothing left to move is nothing to do);</item>
/// <item>the new card records TransferReceived, keyed by the transfer id (a second time answers the first);</item>
/// <item>its ledger records ReplacementCompleted: closed.</item>
/// </list>
/// Whatever stops it between steps, a retry, the reminder or the next call runs the remaining steps again.
/// </summary>
public sealed partial class ReplacementSaga(string card, CardCommandLog log, ICardLedger ledger,
    IReplacementParties parties, ILogger logger)
{
    private Task? _finishing;

    private CardAccount Account => log.Account;

    /// <summary>Step 1 on this card, the old one, then the rest.</summary>
    public async Task<Outcome<ReplacementResult>> Replace(ReplaceCard command)
    {
        if (command is null) return Outcome<ReplacementResult>.Invalid("body", "Required.");
        if (!CardNumber.TryParse(command.NewCardNumber, out var parsed))
            return Outcome<ReplacementResult>.Invalid("newCardNumber", CardNumber.Malformed);
        var next = parsed.Value;
        if (next == card)
            return Outcome<ReplacementResult>.Invalid("newCardNumber", ReplaceCard.AnotherCard);

        // A retry of a replacement under way or done does not look at the new card again: it may hold the points.
        var retry = Account.Replacing?.NewCard == next || Account.ReplacedBy == next;
        if (!retry && Account.Status == CardStatus.Active && await CheckNewCard(next) is { } refused) return refused;

        var registered = await parties.IsRegistered(card);
        var started = await log.Run(new StartReplacementCommand(card, command with { NewCardNumber = next },
            Guid.NewGuid().ToString("N"), registered));
        if (!started.Succeeded) return started;
        await Finish();
        return Account.ReplacedBy == next ? started
            : Outcome<ReplacementResult>.Fail(OutcomeStatus.Conflict,
                "The replacement by this card was abandoned: the new card was registered or closed meanwhile. "
                + "Nothing moved; replace the card by another new card.");
    }

    /// <summary>The new card must be one issued at a till, active, with no cabinet account.</summary>
    private async Task<Outcome<ReplacementResult>?> CheckNewCard(string next)
    {
        var summary = await parties.Summary(next);
        if (summary.Status == OutcomeStatus.NotFound)
            return Outcome<ReplacementResult>.Fail(OutcomeStatus.NotFound,
                "The new card has not been issued: issue it at a till first (newCardNumber).");
        if (!summary.Succeeded) return summary.As<ReplacementResult>();
        if (summary.Value!.Status != "active")
            return Outcome<ReplacementResult>.Fail(OutcomeStatus.Rejected,
                $"The new card is {summary.Value.Status}: a replacement needs an active card (newCardNumber).");
        if (await parties.IsRegistered(next))
            return Outcome<ReplacementResult>.Fail(OutcomeStatus.Conflict,
                "The new card is registered already: a replacement needs a card fresh from the till "
                + "(newCardNumber).");
        return null;
    }

    /// <summary>Step 3, on this card as the new one.</summary>
    public async Task<Outcome<BalanceModel>> Receive(string transferId, string oldCard)
    {
        if (string.IsNullOrEmpty(transferId) || string.IsNullOrEmpty(oldCard))
            return Outcome<BalanceModel>.Invalid("transferId", "Required.");
        // What moves is what the old card's ledger says it handed over to this card: no caller can make it up.
        if (await parties.FindStarted(oldCard, transferId) is not { } started || started.NewCard != card)
            return Outcome<BalanceModel>.Fail(OutcomeStatus.NotFound, "No such transfer to this card.");
        return await log.Run(new ReceiveTransferCommand(transferId, oldCard, started.Moved));
    }

    /// <summary>Runs the steps after the first one, once at a time; nothing when no replacement is under way.</summary>
    public Task Finish()
    {
        if (Account.Replacing is null) return Task.CompletedTask;
        return _finishing ??= RunRemainingSteps();
    }

    private async Task RunRemainingSteps()
    {
        try
        {
            await Task.Yield();
            if (Account.Replacing is not { } pending) return;
            if (await parties.MoveMember(card, pending.NewCard) == MemberMove.TargetTaken)
            {
                await Abort(pending, "the new card was registered meanwhile");
                return;
            }
            var received = await parties.ReceiveTransfer(pending.NewCard, pending.TransferId, card);
            if (!received.Succeeded)
            {
                // The new card received nothing (a retry of a received transfer answers its first result).
                if (pending.MovesRegistration) await parties.MoveMember(pending.NewCard, card);
                await parties.ReloadMember(card);
                await Abort(pending, received.Detail ?? "the new card refused it");
                return;
            }
            await parties.ReloadMember(card);
            await parties.ReloadMember(pending.NewCard);
            await log.Run(new CompleteReplacementCommand(pending.TransferId));
            LogReplaced(card, pending.NewCard);
        }
        finally
        {
            _finishing = null;
        }
    }

    private async Task Abort(PendingReplacement pending, string reason)
    {
        await log.Run(new AbortReplacementCommand(pending.TransferId, reason));
        LogReplacementAborted(card, reason);
    }

    /// <summary>
    /// A refund of a receipt this card earned before it was replaced goes to the card that holds its points now;
    /// a retry of one recorded here before is answered its first result. Null: not replaced, the card refunds.
    /// </summary>
    public async Task<Outcome<RefundResult>?> ForwardRefund(RefundPurchase command, CancellationToken cancellation)
    {
        if (Account is not { Status: CardStatus.Replaced, ReplacedBy: { } successor }) return null;
        var refund = new RefundCommand(command);
        if (await ledger.FindOperation(card, refund.OperationKey!) is { } earlier)
            return Replay<RefundResult>(earlier, RequestHash(refund.Request!));
        return await parties.Refund(successor, command, cancellation);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {Card}: replaced by card {NewCard}")]
    private partial void LogReplaced(string card, string newCard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Card {Card}: replacement abandoned because {Reason}")]
    private partial void LogReplacementAborted(string card, string reason);
}
