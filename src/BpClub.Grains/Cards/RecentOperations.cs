namespace BpClub.Grains.Cards;

/// <summary>
/// The operations a card's activation committed last, by id, at most <paramref name="capacity"/> of them (the
/// oldest goes first). Only the card's writer touches it.
/// </summary>
internal sealed class RecentOperations(int capacity)
{
    private readonly Dictionary<string, OperationRecord> _byKey = [];
    private readonly Queue<string> _order = new();

    public bool TryGet(string key, out OperationRecord record) => _byKey.TryGetValue(key, out record!);

    public void Add(OperationRecord record)
    {
        if (!_byKey.TryAdd(record.Key, record)) return;
        _order.Enqueue(record.Key);
        while (_order.Count > capacity) _byKey.Remove(_order.Dequeue());
    }

    /// <summary>Forgets one operation (the issue's, whose answer names the holder, when the holder is
    /// erased).</summary>
    public void Forget(string key) => _byKey.Remove(key);
}
