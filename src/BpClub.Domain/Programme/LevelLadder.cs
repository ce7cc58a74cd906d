namespace BpClub.Domain.Programme;

/// <summary>The levels ordered by threshold; answers which level a month's litres reach.</summary>
public sealed class LevelLadder(ProgrammeRules rules)
{
    private readonly IReadOnlyList<LevelRule> _levels = rules.Levels;

    public LevelRule Lowest => _levels[0];

    public LevelRule For(decimal litres)
    {
        var reached = _levels[0];
        foreach (var level in _levels)
            if (litres >= level.FromLitres) reached = level;
        return reached;
    }

    public LevelRule? Above(LevelRule level) => level.Level < _levels.Count ? _levels[level.Level] : null;

    public static LevelRule Higher(LevelRule a, LevelRule b) => a.Level >= b.Level ? a : b;
}
