using BpClub.Domain.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace BpClub.Grains.Cards.Storage;

/// <summary>The rows of a group commit as column arrays, one array per column, for one unnest each.</summary>
internal sealed class GroupRows
{
    private readonly List<string> _opCard = [], _opKey = [], _opResult = [];
    private readonly List<byte[]> _opHash = [];
    private readonly List<long> _opSeq = [];

    private readonly List<string> _lCard = [], _lKind = [], _lDescription = [], _lEvent = [];
    private readonly List<long> _lSeq = [], _lPoints = [];
    private readonly List<DateTime> _lAt = [];
    private readonly List<decimal?> _lLitres = [], _lAmount = [];
    private readonly List<string?> _lStation = [], _lOperation = [], _lReceipt = [];
    private readonly List<DateTime?> _lAvailable = [];

    private readonly List<string> _hCard = [], _hFirst = [], _hLast = [], _hBy = [];
    private readonly List<string?> _hPhone = [];
    private readonly List<DateOnly?> _hBirth = [];
    private readonly List<DateTime> _hIssued = [];
    private readonly List<byte[]?> _hCode = [];

    private readonly List<string> _erase = [];

    private readonly List<string> _rcCard = [], _rcStation = [], _rcReceipt = [];

    private readonly List<string> _fCard = [];
    private readonly List<long> _fSeq = [];

    private readonly List<string> _rCard = [], _rGrain = [], _rName = [];
    private readonly List<int> _rHash = [];
    private readonly List<DateTime> _rStart = [];
    private readonly List<long> _rPeriod = [];

    public void Add(string card, long lastSeq, IReadOnlyList<LedgerWrite> writes, ReminderRow? reminder)
    {
        _fCard.Add(card);
        _fSeq.Add(lastSeq);
        if (reminder is not null)
        {
            _rCard.Add(card);
            _rGrain.Add(reminder.GrainId);
            _rHash.Add(reminder.GrainHash);
            _rName.Add(reminder.Name);
            _rStart.Add(reminder.StartAt.UtcDateTime);
            _rPeriod.Add((long)reminder.Period.TotalMilliseconds);
        }
        foreach (var write in writes)
        {
            if (write.Operation is { } operation)
            {
                _opCard.Add(card);
                _opKey.Add(operation.Key);
                _opHash.Add(operation.RequestHash);
                _opResult.Add(operation.ResultJson);
                _opSeq.Add(write.FirstSeq + write.Events.Count - 1);
            }
            var seq = write.FirstSeq;
            foreach (var e in write.Events)
            {
                if (e is PointsEarned { Source: EarningSource.Station } purchase)
                {
                    // A station's receipt earns on one card only (station_receipts).
                    _rcCard.Add(card);
                    _rcStation.Add(purchase.SourceId);
                    _rcReceipt.Add(purchase.OperationId);
                }
                var row = LedgerRowValues.Of(e);
                _lCard.Add(card);
                _lSeq.Add(seq++);
                _lKind.Add(LedgerJson.KindOf(e));
                // timestamptz takes UTC only; tills and the programme calendar speak Kyiv offsets.
                _lAt.Add(e.At.UtcDateTime);
                _lPoints.Add(row.Points);
                _lLitres.Add(row.Litres);
                _lAmount.Add(row.Amount);
                _lStation.Add(row.StationId);
                _lOperation.Add(row.OperationId);
                _lReceipt.Add(row.ReceiptId);
                _lAvailable.Add(row.AvailableAt?.UtcDateTime);
                _lDescription.Add(row.Description);
                _lEvent.Add(LedgerJson.Serialize(e));
            }
            if (write.NewHolder is { } holder)
            {
                _hCard.Add(card);
                _hFirst.Add(holder.FirstName);
                _hLast.Add(holder.LastName);
                _hPhone.Add(holder.Phone);
                _hBirth.Add(holder.BirthDate);
                _hIssued.Add(holder.IssuedAt.UtcDateTime);
                _hBy.Add(holder.IssuedBy);
                _hCode.Add(holder.CardCodeHash);
            }
            if (write.EraseHolder) Erase(card);
        }
    }

    /// <summary>
    /// The statement's deletes cannot see its own inserts, so a card issued and terminated in one group
    /// has its questionnaire and issue operation left out here instead.
    /// </summary>
    private void Erase(string card)
    {
        _erase.Add(card);
        for (var i = _hCard.Count - 1; i >= 0; i--)
        {
            if (_hCard[i] != card) continue;
            _hCard.RemoveAt(i); _hFirst.RemoveAt(i); _hLast.RemoveAt(i); _hPhone.RemoveAt(i);
            _hBirth.RemoveAt(i); _hIssued.RemoveAt(i); _hBy.RemoveAt(i); _hCode.RemoveAt(i);
        }
        for (var i = _opCard.Count - 1; i >= 0; i--)
        {
            if (_opCard[i] != card || _opKey[i] != CardLedgerStore.IssueOperationKey) continue;
            _opCard.RemoveAt(i); _opKey.RemoveAt(i); _opHash.RemoveAt(i); _opResult.RemoveAt(i); _opSeq.RemoveAt(i);
        }
    }

    public void Bind(NpgsqlParameterCollection p)
    {
        Array(p, "f_card", NpgsqlDbType.Text, _fCard);
        Array(p, "f_seq", NpgsqlDbType.Bigint, _fSeq);
        Array(p, "op_card", NpgsqlDbType.Text, _opCard);
        Array(p, "op_key", NpgsqlDbType.Text, _opKey);
        Array(p, "op_hash", NpgsqlDbType.Bytea, _opHash);
        Array(p, "op_result", NpgsqlDbType.Text, _opResult);
        Array(p, "op_seq", NpgsqlDbType.Bigint, _opSeq);
        Array(p, "l_card", NpgsqlDbType.Text, _lCard);
        Array(p, "l_seq", NpgsqlDbType.Bigint, _lSeq);
        Array(p, "l_kind", NpgsqlDbType.Text, _lKind);
        Array(p, "l_at", NpgsqlDbType.TimestampTz, _lAt);
        Array(p, "l_points", NpgsqlDbType.Bigint, _lPoints);
        Array(p, "l_litres", NpgsqlDbType.Numeric, _lLitres);
        Array(p, "l_amount", NpgsqlDbType.Numeric, _lAmount);
        Array(p, "l_station", NpgsqlDbType.Text, _lStation);
        Array(p, "l_operation", NpgsqlDbType.Text, _lOperation);
        Array(p, "l_receipt", NpgsqlDbType.Text, _lReceipt);
        Array(p, "l_available", NpgsqlDbType.TimestampTz, _lAvailable);
        Array(p, "l_description", NpgsqlDbType.Text, _lDescription);
        Array(p, "l_event", NpgsqlDbType.Text, _lEvent);
        Array(p, "h_card", NpgsqlDbType.Text, _hCard);
        Array(p, "h_first", NpgsqlDbType.Text, _hFirst);
        Array(p, "h_last", NpgsqlDbType.Text, _hLast);
        Array(p, "h_phone", NpgsqlDbType.Text, _hPhone);
        Array(p, "h_birth", NpgsqlDbType.Date, _hBirth);
        Array(p, "h_issued", NpgsqlDbType.TimestampTz, _hIssued);
        Array(p, "h_by", NpgsqlDbType.Text, _hBy);
        Array(p, "h_code", NpgsqlDbType.Bytea, _hCode);
        Array(p, "erase", NpgsqlDbType.Text, _erase);
        Array(p, "rc_card", NpgsqlDbType.Text, _rcCard);
        Array(p, "rc_station", NpgsqlDbType.Text, _rcStation);
        Array(p, "rc_receipt", NpgsqlDbType.Text, _rcReceipt);
        Array(p, "r_card", NpgsqlDbType.Text, _rCard);
        Array(p, "r_grain", NpgsqlDbType.Text, _rGrain);
        Array(p, "r_hash", NpgsqlDbType.Integer, _rHash);
        Array(p, "r_name", NpgsqlDbType.Text, _rName);
        Array(p, "r_start", NpgsqlDbType.TimestampTz, _rStart);
        Array(p, "r_period", NpgsqlDbType.Bigint, _rPeriod);
    }

    private static void Array<T>(NpgsqlParameterCollection p, string name, NpgsqlDbType type, List<T> values) =>
        p.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | type) { Value = values.ToArray() });
}
