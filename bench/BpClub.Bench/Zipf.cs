namespace BpClub.Bench;

/// <summary>
/// Card indexes 0..n-1 drawn with P(rank k) ∝ 1/k^s. Ranks are shuffled onto indexes (fixed seed) so
/// that the popular cards are scattered over the card range as real regulars are.
/// </summary>
public sealed class Zipf
{
    private readonly double[] _cumulative;
    private readonly int[] _indexOfRank;

    public Zipf(int n, double s, int seed = 12)
    {
        _cumulative = new double[n];
        var sum = 0.0;
        for (var k = 0; k < n; k++) _cumulative[k] = sum += 1.0 / Math.Pow(k + 1, s);
        for (var k = 0; k < n; k++) _cumulative[k] /= sum;
        _indexOfRank = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(_indexOfRank);
    }

    public int Next(Random random)
    {
        var rank = Array.BinarySearch(_cumulative, random.NextDouble());
        if (rank < 0) rank = ~rank;
        return _indexOfRank[Math.Min(rank, _indexOfRank.Length - 1)];
    }

    /// <summary>The share of draws that land on the most popular <paramref name="fraction"/> of the cards.</summary>
    public double ShareOfTop(double fraction) => _cumulative[Math.Max(0, (int)(_cumulative.Length * fraction) - 1)];
}
